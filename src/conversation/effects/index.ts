// The registry of effects. A new effect is one new file in this folder and one line below.
import type { EffectSignature } from '../../engine/kind.js';
import { checkOffer } from './check-offer.js';
import type { EffectHandler } from './effect.js';
import { explainFlags } from './explain-flags.js';
import { forget } from './forget.js';
import { reportRecruiter } from './report-recruiter.js';

export const EFFECTS: Readonly<Record<string, EffectHandler>> = Object.fromEntries(
  [forget, checkOffer, explainFlags, reportRecruiter].map((e) => [e.name, e as EffectHandler]),
);

/** What flows:check knows of each effect: the outcomes it reports and the arguments it takes. */
export function effectSignatures(effects: Readonly<Record<string, EffectHandler>> = EFFECTS): Record<string, EffectSignature> {
  return Object.fromEntries(Object.entries(effects).map(([name, e]) => [name, { outcomes: e.outcomes, args: e.args }]));
}

/** Text keys the code shows by building their names (the effects; checker.risk: the check-offer CLI). */
export const EFFECT_KEYS = ['checker.flag.*', 'checker.advice.*', 'checker.note.*', 'checker.verdict.*', 'checker.risk.*'] as const;

export { CROSS_CHECK_RAISES_AT, loadChecker, VERDICT_CONTACTS, verdictMessages } from './check-offer.js';
export { defineEffect, type EffectArgs, type EffectContext, type EffectDefinition, type EffectHandler, type EffectResult } from './effect.js';
