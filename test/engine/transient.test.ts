import { describe, expect, it } from 'vitest';
import { checkFlows } from '../../src/engine/check.js';
import { parseFlow } from '../../src/engine/flow.js';
import { step } from '../../src/engine/step.js';
import { newSession, type Reply } from '../../src/engine/types.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';

const T0 = Date.UTC(2026, 10, 25, 8, 0);
const PASTE = `
spec_version: 1
id: main
start: ask
transient: [offer, verdict.quote]
steps:
  ask: { type: input, say: [p.ask], input: { type: text, store: offer }, next: echo }
  echo: { type: say, say: [{ key: p.echo, vars: { text: "$offer" } }], next: check }
  check: { type: effect, effect: check, args: { text: "$offer" }, store: verdict, outcomes: { ok: shown, error: "@end" } }
  shown: { type: say, say: [{ key: p.shown, vars: { risk: "$verdict.risk", quote: "$verdict.quote" } }], next: again }
  again: { type: choice, say: [p.again], choices: [{ id: more, label: p.more, next: ask }] }
`;
const bundle = bundleFrom({ ...WORLD, main: PASTE });
const said = (replies: Reply[]) => replies.flatMap((r) => r.say.flatMap((s) => ('key' in s ? [`${s.key}${s.vars ? JSON.stringify(s.vars) : ''}`] : [])));

describe('engine: transient variables', () => {
  it('live only during the turn that stored them: the steps of that turn and the effect read them, the session never holds them', () => {
    let s = newSession(T0);
    for (const text of ['halo', 'agree']) s = step(bundle, s, { kind: 'text', text, at: T0, langHint: 'id' }).session;
    const offer = 'Gaji 20 juta di Kamboja, WA 0812 3456 7890';
    const asked = step(bundle, s, { kind: 'text', text: offer, at: T0 });
    expect(said(asked.replies)).toEqual([`p.echo{"text":"${offer}"}`]);
    expect(asked.effects).toEqual([{ type: 'check', args: { text: offer } }]);
    expect(asked.session.vars).toEqual({});
    expect(asked.session.pending).toBe('check');
    const done = step(bundle, asked.session, { kind: 'effect', effect: 'check', outcome: 'ok', data: { risk: 'high', quote: 'WA 0812 3456 7890' }, at: T0 });
    expect(said(done.replies)).toEqual(['p.shown{"risk":"high","quote":"WA 0812 3456 7890"}', 'p.again']);
    // What the next turns need stays; what the person wrote does not.
    expect(done.session.vars).toEqual({ 'verdict.risk': 'high' });
    expect(JSON.stringify(done.session)).not.toContain('0812');
  });

  it('are dropped however the turn ends: an answer that is not taken, a restart, a stale effect result', () => {
    let s = newSession(T0);
    for (const text of ['halo', 'agree']) s = step(bundle, s, { kind: 'text', text, at: T0, langHint: 'id' }).session;
    const leaked = { ...s, vars: { offer: 'left over from an older version', keep: 1 } };
    for (const r of [
      step(bundle, leaked, { kind: 'text', text: 'menu', at: T0 }),
      step(bundle, leaked, { kind: 'effect', effect: 'nothing-pending', outcome: 'ok', at: T0 }),
    ]) {
      expect(r.session.vars).toEqual({ keep: 1 });
    }
  });
});

describe('flows:check: transient variables', () => {
  const check = (yaml: string) => {
    const { flow, problems } = parseFlow('flows/x.yaml', yaml);
    if (!flow) return problems.map((p) => `${p.line}: ${p.message}`);
    return checkFlows({ flows: new Map([['x', flow]]), roots: ['x'], locales: {}, contacts: new Set(), facts: new Set(), effects: {}, codeKeys: [] }).map((p) => `${p.line}: ${p.message}`);
  };

  it('each name is stored and read by the flow’s steps, and read before the flow waits again', () => {
    expect(
      check(`spec_version: 1
id: x
start: ask
transient: [offer, ghost, kept, late, verdict.quote]
steps:
  ask: { type: input, say: [k.ask], input: { type: text, store: offer }, next: note }
  note: { type: input, say: [k.note], input: { type: text, store: kept }, next: later }
  later: { type: input, say: [{ key: k.late, vars: { o: "$offer" } }], input: { type: text, store: late }, next: show }
  show: { type: say, say: [{ key: k.show, vars: { l: "$late" } }], next: "@end" }
`),
    ).toEqual([
      '8: step "later" reads transient variable "offer" after the flow waited for the user, when it is gone (it lives only during the turn that stored it)',
      '4: transient variable "ghost" is not stored by any step of this flow',
      '4: transient variable "kept" is never read by a step of this flow',
      '4: transient variable "verdict.quote" is not stored by any step of this flow',
    ]);
  });

  it('the list holds variable names, each once', () => {
    expect(check('spec_version: 1\nid: x\nstart: a\ntransient:\n  - offer\n  - Not A Name\n  - offer\nsteps:\n  a: { type: end }\n')).toEqual([
      '6: transient: "Not A Name" is not a variable name',
      '7: transient: "offer" is listed twice',
    ]);
    expect(check('spec_version: 1\nid: x\nstart: a\ntransient: offer\nsteps:\n  a: { type: end }\n')).toEqual(['4: transient must be a list of variable names']);
  });
});
