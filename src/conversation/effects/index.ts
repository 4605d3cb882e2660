// The registry of effects. A new effect is one new file in this folder and one line below.
import type { EffectSignature } from '../../engine/kind.js';
import { CASE_SAY_KEYS } from '../../hotline/say.js';
import { checkOffer } from './check-offer.js';
import type { EffectHandler } from './effect.js';
import { explainFlags } from './explain-flags.js';
import { forget } from './forget.js';
import { safetyMode } from './safety-mode.js';
import { reportRecruiter } from './report-recruiter.js';
import { addToCase } from './add-to-case.js';
import { lookupCase } from './lookup-case.js';
import { myCases } from './my-cases.js';
import { openCase } from './open-case.js';
import { reportSummary } from './report-summary.js';
import { mySubscription } from './my-subscription.js';
import { subscribe } from './subscribe.js';
import { unsubscribe } from './unsubscribe.js';
import { SUBSCRIPTION_SAY_KEYS } from '../subscriptions.js';

export const EFFECTS: Readonly<Record<string, EffectHandler>> = Object.fromEntries(
  [forget, checkOffer, explainFlags, reportRecruiter, openCase, reportSummary, myCases, lookupCase, addToCase, mySubscription, subscribe, unsubscribe, safetyMode].map((e) => [e.name, e as EffectHandler]),
);

/** What flows:check knows of each effect: the outcomes it reports and the arguments it takes. */
export function effectSignatures(effects: Readonly<Record<string, EffectHandler>> = EFFECTS): Record<string, EffectSignature> {
  return Object.fromEntries(Object.entries(effects).map(([name, e]) => [name, { outcomes: e.outcomes, args: e.args }]));
}

/** Text keys the code shows by building their names (the effects; checker.risk: the check-offer CLI). */
export const EFFECT_KEYS = ['checker.flag.*', 'checker.advice.*', 'checker.note.*', 'checker.verdict.*', 'checker.risk.*', 'hotline.report.field.*', 'hotline.report.summary_title', 'hotline.report.skipped', 'hotline.report.yes', 'hotline.report.no', ...CASE_SAY_KEYS, ...SUBSCRIPTION_SAY_KEYS] as const;

export { CROSS_CHECK_RAISES_AT, loadChecker, VERDICT_CONTACTS, verdictMessages } from './check-offer.js';
export { defineEffect, type EffectArgs, type EffectContext, type EffectDefinition, type EffectHandler, type EffectResult } from './effect.js';
