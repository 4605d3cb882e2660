// The engine over the real flows and texts (src/content): 10,000 generated conversations, each a run of
// inputs from a new session, every step starting from the session the one before returned: texts
// (unicode, controls, very long, commands and pleas among them), choices (the buttons just shown, stale
// turns, ids nobody made), media of every kind with captions and picture readings, effect results with
// the flow's outcomes and with any other, clocks that jump forward (a day's idle) and back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { MAX_STACK, step } from '../../src/engine/step.js';
import { LANGS, MEDIA_KINDS, newSession, PICTURE_FAILURES, type Input, type MediaKind, type Reply, type Session, type StepResult, type Vars } from '../../src/engine/types.js';
import { hostileText, jsonStable, RUNS } from '../helpers/fuzz.js';

const content = loadContent();
const { bundle, texts, data } = content;
const T0 = Date.UTC(2026, 11, 1, 8, 0);

/** Every effect the flows ask for, with the outcomes their steps name. */
const OUTCOMES = new Map<string, string[]>();
for (const flow of bundle.flows.values()) {
  for (const s of Object.values(flow.steps) as { type: string; effect?: string; outcomes?: Record<string, string> }[]) {
    if (s.type === 'effect' && s.effect) OUTCOMES.set(s.effect, [...new Set([...(OUTCOMES.get(s.effect) ?? []), ...Object.keys(s.outcomes ?? {})])]);
  }
}
const EFFECT_NAMES = [...OUTCOMES.keys()];

/** What to do next; choices and effects are resolved against what the engine just said. */
type Move =
  | { t: 'text'; text: string; offer: boolean; picture: boolean; hint: string | null }
  | { t: 'pick'; n: number; staleTurn: boolean }
  | { t: 'choice'; id: string; turn: number | undefined }
  | { t: 'media'; media: string; text: string | undefined; picture: 'none' | 'read' | 'failed'; read: string; failure: number }
  | { t: 'effect'; known: boolean; n: number; outcome: string; data: Vars | undefined; name: string };

const hint = fc.constantFrom(null, 'id', 'en', 'ms', 'pt-BR', '', 'zz-ZZ-long-code');
const value = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
const move: fc.Arbitrary<Move> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('text' as const), text: hostileText(20_000, 100), offer: fc.boolean(), picture: fc.boolean(), hint }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('pick' as const), n: fc.nat(20), staleTurn: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('choice' as const),
      id: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('yes', 'no', 'agree', 'id', 'en', '__proto__', 'constructor', '')),
      turn: fc.option(fc.integer({ min: -2, max: 1000 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('media' as const),
      media: fc.oneof(fc.constantFrom(...MEDIA_KINDS), fc.constantFrom('gif', 'constructor', '')),
      text: fc.option(hostileText(2000, 100), { nil: undefined }),
      picture: fc.constantFrom('none' as const, 'read' as const, 'failed' as const),
      read: hostileText(3000, 100),
      failure: fc.nat(PICTURE_FAILURES.length),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('effect' as const),
      known: fc.boolean(),
      n: fc.nat(10),
      outcome: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('ok', 'error', 'checked', 'done', 'constructor', '__proto__', 'toString')),
      data: fc.option(fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('risk', 'id', 'code', '__proto__')), value, { maxKeys: 4 }), { nil: undefined }),
      name: fc.oneof(fc.constantFrom(...EFFECT_NAMES), fc.string({ maxLength: 8 })),
    }),
  },
);
/** Milliseconds between two messages: mostly seconds, sometimes over a day, sometimes back in time. */
const gap = fc.oneof({ weight: 8, arbitrary: fc.nat(60_000) }, { weight: 1, arbitrary: fc.integer({ min: 86_400_000, max: 40 * 86_400_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -3_600_000, max: -1 }) });

function input(m: Move, at: number, s: Session, last: Reply | undefined, pending: StepResult['effects']): Input {
  switch (m.t) {
    case 'text':
      return { kind: 'text', text: m.text, at, offer: m.offer, langHint: m.hint, ...(m.picture ? { picture: true } : {}) };
    case 'pick': {
      const choices = last?.choices ?? [];
      const id = choices.length ? choices[m.n % choices.length]!.id : String(m.n);
      return { kind: 'choice', id, turn: m.staleTurn ? s.turn - 1 : (last?.turn ?? s.turn), at };
    }
    case 'choice':
      return { kind: 'choice', id: m.id, turn: m.turn, at };
    case 'media': {
      const picture = m.picture === 'read' ? { text: m.read, excerpt: m.read.slice(0, 200) } : m.picture === 'failed' ? { failure: PICTURE_FAILURES[m.failure % PICTURE_FAILURES.length]! } : undefined;
      return { kind: 'media', media: m.media as MediaKind, at, ...(m.text !== undefined ? { text: m.text } : {}), ...(picture ? { picture } : {}) };
    }
    case 'effect': {
      // The effect the engine waits for (with one of its outcomes, or any), or one nobody asked for.
      const effect = m.known && pending.length ? pending[m.n % pending.length]!.type : m.known && s.pending ? s.pending : m.name;
      const outcomes = OUTCOMES.get(effect) ?? [];
      const outcome = m.known && outcomes.length ? outcomes[m.n % outcomes.length]! : m.outcome;
      return { kind: 'effect', effect, outcome, at, ...(m.data ? { data: m.data } : {}) };
    }
  }
}

/** Every text key a reply names (its items and its choices' labels), and every contact and fact it shows. */
function named(r: Reply): { keys: string[]; contacts: string[]; facts: string[] } {
  const keys: string[] = (r.choices ?? []).map((c) => c.label);
  const contacts: string[] = [];
  const facts: string[] = [];
  for (const s of r.say) {
    if ('key' in s) keys.push(s.key);
    else if ('contacts' in s) contacts.push(...s.contacts);
    else facts.push(...s.facts);
  }
  return { keys, contacts, facts };
}

/** What is wrong with a step's result (plain checks: expect() in these loops would cost more than the engine). */
function problems(r: StepResult): string[] {
  const out: string[] = [];
  if (!jsonStable(r.session)) out.push(`the session does not survive JSON unchanged: ${JSON.stringify(r.session)}`);
  if (!jsonStable(r.replies)) out.push('the replies do not survive JSON unchanged');
  if (r.session.stack.length > MAX_STACK) out.push(`${r.session.stack.length} ways back`);
  if (r.session.lang !== null && !LANGS.includes(r.session.lang)) out.push(`language ${String(r.session.lang)}`);
  const at = r.session.at;
  if (at && !bundle.flows.get(at.flow)?.steps[at.step]) out.push(`at no step: ${JSON.stringify(at)}`);
  for (const p of r.session.stack) if (!bundle.flows.has(p.flow)) out.push(`a way back to no flow: ${p.flow}`);
  for (const reply of r.replies) {
    const n = named(reply);
    for (const k of n.keys) for (const lang of LANGS) if (!texts.has(lang, k)) out.push(`${lang} has no text ${k}`);
    for (const c of n.contacts) if (!data.contacts.has(c)) out.push(`no contact ${c}`);
    for (const f of n.facts) if (!data.facts.has(f)) out.push(`no fact ${f}`);
  }
  return out;
}

describe('the engine on 10,000 generated conversations over the real flows', () => {
  it('never throws; each session is plain JSON that survives a round trip, keeps at most MAX_STACK ways back, and every reply names texts every locale has', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(move, gap), { minLength: 1, maxLength: 8 }), (moves) => {
        let s = newSession(T0);
        let at = T0;
        let last: Reply | undefined;
        let pending: StepResult['effects'] = [];
        for (const [m, dt] of moves) {
          at += dt;
          const i = input(m, at, s, last, pending);
          const r = step(bundle, s, i);
          steps++;
          expect(problems(r)).toEqual([]);
          // Nothing the engine kept refers to the input object: the next step starts from plain data.
          s = JSON.parse(JSON.stringify(r.session)) as Session;
          last = r.replies.at(-1) ?? last;
          pending = r.effects;
        }
      }),
      { numRuns: RUNS },
    );
    expect(steps).toBeGreaterThan(RUNS);
  }, 120_000);
});
