import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/flow.js';
import { runCli } from '../helpers/cli.js';

describe('npm run flows:check', () => {
  it('fails on a broken flow tree with a file:line message for each problem', async () => {
    const r = await runCli(['flows:check', '--root', 'test/fixtures/broken']);
    expect(r.code).toBe(1);
    const expected = [
      'flows/main.yaml:30: step "typo" has unknown type "choise"',
      'flows/main.yaml:6: step "menu" goes to unknown step "nowhere"',
      'flows/main.yaml:6: step "menu" goes to unknown flow "ghost"',
      'flows/main.yaml:6: step "menu" uses text "t.only_in_id" that locales/en lacks',
      'flows/main.yaml:19: step "trap_b" shows unknown contact "no_such_office"',
      'flows/main.yaml:26: step "orphan" can never be reached from "menu"',
      'flows/main.yaml:14: step "trap_a" is a dead end',
      'flows/main.yaml:23: steps spin -> spin2 -> spin loop without ever waiting for the user',
      'locales/id/t.json:5: text "t.only_in_id" is missing from locales/en',
      'locales/en/t.json:5: text "t.never_used" is never used by a flow or the code',
    ];
    for (const line of expected) expect(r.stderr).toContain(line);
  });

  it('passes on the shipped flows, texts and data', async () => {
    const r = await runCli(['flows:check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^flows ok: \d+ flows/);
  });
});

describe('flow file shape', () => {
  it('a YAML syntax error is reported with its line', () => {
    const { flow, problems } = parseFlow('flows/x.yaml', 'spec_version: 1\nid: x\nstart: a\nsteps:\n  a: { type: say, say: [k\n');
    expect(flow).toBeUndefined();
    expect(problems[0]!.line).toBeGreaterThanOrEqual(5);
    expect(problems[0]!.message).toMatch(/^YAML:/);
  });

  it('a wrong field inside a step is reported at that field’s line', () => {
    const { problems } = parseFlow('flows/x.yaml', 'spec_version: 1\nid: x\nstart: a\nsteps:\n  a:\n    type: input\n    say: [k]\n    input: { type: telephone, store: p }\n    next: "@end"\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 8 });
    expect(problems[0]!.message).toMatch(/step "a" field input\.type/);
  });

  it('refuses an unknown spec_version and an id that does not match the file name', () => {
    const { problems } = parseFlow('flows/x.yaml', 'spec_version: 2\nid: y\nstart: a\nsteps:\n  a: { type: end }\n');
    expect(problems.map((p) => p.message)).toEqual(['spec_version must be 1 (found 2)', 'id "y" must match the file name']);
  });

  it('refuses a regular expression that does not compile', () => {
    const { problems } = parseFlow('flows/x.yaml', 'spec_version: 1\nid: x\nstart: a\nsteps:\n  a:\n    type: input\n    say: [k]\n    input: { type: text, store: p, pattern: "([a-z" }\n    next: "@end"\n');
    expect(problems[0]!.message).toMatch(/pattern is not a valid regular expression/);
  });
});

describe('npm run flows:graph', () => {
  it('writes one Mermaid diagram per flow, with every step and the choices as labelled edges', async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = mkdtempSync(`${tmpdir()}/waspada-graph-`);
    const r = await runCli(['flows:graph', '--out', out]);
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toContain('welcome.md');
    expect(files).toContain('emergency.md');
    const welcome = readFileSync(`${out}/welcome.md`, 'utf8');
    expect(welcome).toContain('```mermaid\nflowchart TD');
    for (const step of ['check_lang', 'ask_lang', 'privacy', 'privacy_more', 'agreed', 'declined', 'erase']) expect(welcome).toContain(`s_${step}[`.replace('s_check_lang[', 's_check_lang{'));
    expect(welcome).toContain('s_privacy -->|"Setuju, lanjut"| s_agreed');
    expect(welcome).toContain('s_agreed --> x_flow_main');
  });
});
