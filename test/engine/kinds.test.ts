import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkFlows, type LocaleIndex } from '../../src/engine/check.js';
import { parseFlow, type Flow } from '../../src/engine/flow.js';
import { flowToMermaid } from '../../src/engine/graph.js';
import { KINDS } from '../../src/engine/steps/index.js';

const ENGINE = resolve(import.meta.dirname, '../../src/engine');

function flowOf(yaml: string): Flow {
  const { flow, problems } = parseFlow('flows/x.yaml', `spec_version: 1\nid: x\n${yaml}`);
  expect(problems).toEqual([]);
  return flow!;
}

/** One step of every kind, its ways on labelled in every way a kind can label them. */
const EVERY_KIND = flowOf(`start: ask
steps:
  ask:
    type: choice
    say: [k.ask]
    text: note
    choices:
      - { id: a, label: k.yes, next: note }
      - { id: b, label: k.no, next: "@idle" }
  note: { type: input, say: [k.note], input: { type: text, store: note }, next: tell }
  tell: { type: say, say: [k.tell], next: mark }
  mark: { type: set, set: { seen: true }, next: pick }
  pick: { type: branch, on: seen, cases: { "true": go }, default: done }
  go: { type: effect, effect: forget, outcomes: { ok: other, error: done } }
  other: { type: call, flow: y, next: done }
  done: { type: end }
`);

describe('step kinds: the registry', () => {
  it('every registered kind is filed under its own type and brings its shape, its edges, its texts and its behaviour', () => {
    expect(Object.keys(KINDS).length).toBeGreaterThan(0);
    for (const [type, kind] of Object.entries(KINDS)) {
      expect(kind.type, type).toBe(type);
      expect(typeof kind.schema.safeParse, type).toBe('function');
      expect(typeof kind.waits, type).toBe('boolean');
      for (const part of ['edges', 'keys', 'sayItems', 'enter'] as const) expect(typeof kind[part], `${type}.${part}`).toBe('function');
      for (const part of ['resume', 'detail', 'check', 'defaults', 'reads', 'writes'] as const) {
        if (kind[part] !== undefined) expect(typeof kind[part], `${type}.${part}`).toBe('function');
      }
      for (const flag of ['takesText', 'decision'] as const) {
        if (kind[flag] !== undefined) expect(typeof kind[flag], `${type}.${flag}`).toBe('boolean');
      }
    }
  });

  it('a kind waits for the user exactly when it can take an answer, and only such a kind asks for free text', () => {
    for (const [type, kind] of Object.entries(KINDS)) {
      expect(kind.waits, type).toBe(kind.resume !== undefined);
      if (kind.takesText) expect(kind.waits, type).toBe(true);
    }
  });

  it('every kind is covered by the sample flow these tests draw and check', () => {
    expect(new Set(Object.values(EVERY_KIND.steps).map((s) => s.type))).toEqual(new Set(Object.keys(KINDS)));
  });

  it('no engine file outside the kinds compares a step’s type with the name of a kind', () => {
    const names = Object.keys(KINDS).join('|');
    const patterns = [
      new RegExp(`\\.type\\s*[!=]==?\\s*['"\`](${names})['"\`]`),
      new RegExp(`['"\`](${names})['"\`]\\s*[!=]==?\\s*[\\w.?!]*\\.type\\b`),
      new RegExp(`case\\s+['"\`](${names})['"\`]\\s*:`),
      new RegExp(`KINDS(\\.(${names})\\b|\\[\\s*['"\`](${names})['"\`]\\s*\\])`),
    ];
    // The patterns catch what they are meant to.
    for (const old of ["step.type === 'input'", "if ('end' !== step.type)", "case 'branch':", "KINDS['call']"]) {
      expect(patterns.some((p) => p.test(old)), old).toBe(true);
    }
    const files = readdirSync(ENGINE).filter((f) => f.endsWith('.ts') && f !== 'kind.ts');
    expect(files).toEqual(expect.arrayContaining(['check.ts', 'graph.ts', 'step.ts', 'flow.ts']));
    for (const file of files) {
      const source = readFileSync(resolve(ENGINE, file), 'utf8');
      for (const p of patterns) expect(source.match(p)?.[0], `${file} names a step kind`).toBeUndefined();
    }
  });
});

describe('step kinds: what each brings', () => {
  it('fill in their documented defaults: an input’s hint is its type’s, and a bare end or effect says nothing and passes no arguments', () => {
    expect(EVERY_KIND.steps.note!.input).toMatchObject({ hint: 'engine.hint.text' });
    expect(EVERY_KIND.steps.done).toEqual({ type: 'end', say: [] });
    expect(EVERY_KIND.steps.go).toMatchObject({ args: {}, say: [] });
    const own = flowOf('start: a\nsteps:\n  a: { type: input, say: [k], input: { type: phone, store: p, hint: k.phone }, next: "@end" }\n');
    expect(own.steps.a!.input.hint).toBe('k.phone');
  });

  it('draw their ways on: choice labels in the source language, branch values, effect outcomes, a dotted call and its after, end to @end; a choice’s text handover is not drawn', () => {
    const graph = flowToMermaid(EVERY_KIND, (key) => `T(${key})`);
    const edges = graph.split('\n').filter((l) => /--|-\.->/.test(l));
    expect(edges).toEqual([
      '  s_ask -->|"T(k.yes)"| s_note',
      '  s_ask -->|"T(k.no)"| x_idle',
      '  s_note --> s_tell',
      '  s_tell --> s_mark',
      '  s_mark --> s_pick',
      '  s_pick -->|"= true"| s_go',
      '  s_pick -->|"otherwise"| s_done',
      '  s_go -->|"ok"| s_other',
      '  s_go -->|"error"| s_done',
      '  s_other -.-> x_flow_y',
      '  s_other -->|"after"| s_done',
      '  s_done --> x_end',
    ]);
    expect(graph).toContain('  s_note["note: input (text → note)<br/>T(k.note)"]');
    expect(graph).toContain('  s_pick{"pick: branch on seen"}');
    expect(graph).toContain('  s_go["go: effect forget"]');
    expect(graph).toContain('  s_other["other: call y"]');
  });

  it('check their own references, reported at the step’s field: an unknown effect, a missing error outcome, a branch on no variable, a call of an unknown flow', () => {
    const flow = flowOf(`start: a
steps:
  a: { type: effect, effect: nosuch, outcomes: { ok: b } }
  b: { type: effect, effect: forget, outcomes: { ok: c, odd: c } }
  c: { type: branch, on: "Not A Name", cases: { x: d }, default: d }
  d: { type: call, flow: ghost, next: e }
  e: { type: end }
`);
    const locale: LocaleIndex = { file: () => undefined, keys: new Set() };
    const problems = checkFlows({
      flows: new Map([['x', flow]]),
      roots: ['x'],
      locales: { id: locale },
      contacts: new Set(),
      facts: new Set(),
      effects: { forget: { outcomes: ['ok', 'error'] } },
      codeKeys: [],
    });
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '5: step "a" asks for unknown effect "nosuch" (known: forget)',
      '6: effect "forget" has no outcome "odd" (it reports: ok, error)',
      '6: step "b" must say where to go when effect "forget" fails (outcome "error")',
      '7: step "c" branches on "Not A Name", which is not a variable name',
      '8: step "d" calls unknown flow "ghost"',
    ]);
  });

  it('an effect step’s arguments are checked against the effect’s: unknown, missing and wrong literal ones; a $variable waits for the run', () => {
    const flow = flowOf(`start: a
steps:
  a: { type: effect, effect: send, args: { to: "$who", times: many, loud: 1 }, outcomes: { ok: b } }
  b: { type: effect, effect: send, args: { to: 7 }, outcomes: { ok: c } }
  c: { type: effect, effect: send, args: { to: "$who", times: 2 }, outcomes: { ok: d } }
  d: { type: effect, effect: send, outcomes: { ok: e } }
  e: { type: end }
`);
    const problems = checkFlows({
      flows: new Map([['x', flow]]),
      roots: ['x'],
      locales: { id: { file: () => undefined, keys: new Set() } },
      contacts: new Set(),
      facts: new Set(),
      effects: { send: { outcomes: ['ok'], args: z.object({ to: z.string(), times: z.number().int().optional() }).strict() } },
      codeKeys: [],
    });
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '5: argument "times" of effect "send": Expected number, received string',
      '5: effect "send" takes no argument "loud" (it takes: to, times)',
      '6: argument "to" of effect "send": Expected string, received number',
      '8: step "d" must give effect "send" its argument "to"',
    ]);
  });
});
