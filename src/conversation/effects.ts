// Effects the engine can ask for, performed here with the real stores. One entry per effect:
// the outcomes it can report (flows:check verifies flows against them) and what it does.
import type { Lang, Say, Vars } from '../engine/types.js';
import type { UserKey } from '../store/keys.js';
import type { Store } from '../store/store.js';

export interface EffectContext {
  user: UserKey;
  messageId: string;
  lang: Lang;
  store: Store;
  /** Set by an effect that deleted the user's data: the session is erased instead of saved. */
  erase: boolean;
}

export interface EffectResult {
  outcome: string;
  data?: Vars;
  /** Messages composed by the effect, one list of items per message. */
  say?: Say[][];
}

export interface EffectHandler {
  outcomes: readonly string[];
  run(ctx: EffectContext, args: Vars): Promise<EffectResult>;
}

export const EFFECTS: Record<string, EffectHandler> = {
  /** "Delete my data": removes every key holding the user's personal data. */
  forget: {
    outcomes: ['ok', 'error'],
    async run(ctx) {
      await ctx.store.forgetUser(ctx.user);
      ctx.erase = true;
      return { outcome: 'ok' };
    },
  },
};

export function effectOutcomes(effects: Record<string, EffectHandler> = EFFECTS): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(effects).map(([k, v]) => [k, v.outcomes]));
}
