// Pass two of flow validation: references between flows, steps, texts and data; reachability; dead ends.
import type { Flow, Problem } from './flow.js';
import type { EffectSignature, SayItem } from './kind.js';
import { FLOW_TARGET, TARGET_END, TARGET_IDLE } from './names.js';
import { KINDS } from './steps/index.js';
import { checkTransient } from './transient.js';

export interface LocaleIndex {
  file: (key: string) => { file: string; line: number } | undefined;
  keys: Set<string>;
}

export interface CheckContext {
  flows: Map<string, Flow>;
  /** The flows the engine enters by itself (entry, menu, intent flows). */
  roots: string[];
  locales: Record<string, LocaleIndex>;
  contacts: Set<string>;
  facts: Set<string>;
  /** Effects the conversation service performs: what each reports and takes. */
  effects: Readonly<Record<string, EffectSignature>>;
  /** Keys used by code rather than flows; a key ending in ".*" covers every key below it. */
  codeKeys: readonly string[];
}

function sayKeys(items: readonly SayItem[]): string[] {
  return items.flatMap((i) => (typeof i === 'string' ? [i] : 'key' in i ? [i.key] : []));
}

/** Every i18n key a flow uses. */
export function flowKeys(flow: Flow): string[] {
  return Object.values(flow.steps).flatMap((s) => {
    const kind = KINDS[s.type]!;
    return [...sayKeys(kind.sayItems(s)), ...kind.keys(s)];
  });
}

export function checkFlows(ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const used = new Set<string>();
  const calledFlows = new Set<string>(ctx.roots);
  for (const root of ctx.roots) {
    if (!ctx.flows.has(root)) problems.push({ file: 'flows/', line: 1, message: `the engine needs a flow "${root}" and there is none` });
  }
  for (const flow of ctx.flows.values()) {
    const at = (path: (string | number)[], message: string) => problems.push({ file: flow.file, line: flow.line(path), message });
    if (!flow.steps[flow.start] && !flow.invalid.has(flow.start)) at(['start'], `start step "${flow.start}" does not exist`);
    const edges = new Map<string, string[]>();
    const exits = new Set<string>();
    for (const [id, step] of Object.entries(flow.steps)) {
      const kind = KINDS[step.type]!;
      const next: string[] = [];
      const ways = kind.edges(step);
      // A flow a step calls comes back to it: no way out, and checked after the ways on.
      ways.forEach(({ target: t, style }) => {
        if (style === 'call') return;
        if (t === TARGET_END || t === TARGET_IDLE) exits.add(id);
        else if (t.startsWith(FLOW_TARGET)) {
          const target = t.slice(FLOW_TARGET.length);
          calledFlows.add(target);
          if (!ctx.flows.has(target)) at(['steps', id], `step "${id}" goes to unknown flow "${target}"`);
          exits.add(id);
        } else if (!flow.steps[t]) {
          if (!flow.invalid.has(t)) at(['steps', id], `step "${id}" goes to unknown step "${t}"`);
        }
        else next.push(t);
      });
      for (const way of ways) {
        if (way.style !== 'call') continue;
        const f = way.target.slice(FLOW_TARGET.length);
        const path = ['steps', id, ...(way.field ? [way.field] : [])];
        calledFlows.add(f);
        if (!ctx.flows.has(f)) at(path, `step "${id}" calls unknown flow "${f}"`);
        if (f === flow.id) at(path, `step "${id}" calls its own flow`);
      }
      edges.set(id, next);
      for (const key of [...sayKeys(kind.sayItems(step)), ...kind.keys(step)]) {
        used.add(key);
        for (const [lang, index] of Object.entries(ctx.locales)) {
          if (!index.keys.has(key)) at(['steps', id], `step "${id}" uses text "${key}" that locales/${lang} lacks`);
        }
      }
      for (const item of kind.sayItems(step)) {
        if (typeof item === 'string') continue;
        if ('contacts' in item) for (const c of item.contacts) if (!ctx.contacts.has(c)) at(['steps', id], `step "${id}" shows unknown contact "${c}" (not in data/contacts.yaml)`);
        if ('facts' in item) for (const f of item.facts) if (!ctx.facts.has(f)) at(['steps', id], `step "${id}" shows unknown fact "${f}" (not in data/facts.yaml)`);
      }
      kind.check?.(step, { id, effects: ctx.effects, report: (path, message) => at(['steps', id, ...path], message) });
    }
    // Unreachable steps.
    const seen = new Set<string>();
    const queue = flow.steps[flow.start] ? [flow.start] : [];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(edges.get(id) ?? []));
    }
    for (const id of Object.keys(flow.steps)) if (!seen.has(id)) at(['steps', id], `step "${id}" can never be reached from "${flow.start}"`);
    // Dead ends: steps from which the flow can never be left.
    const canExit = new Set(exits);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [id, next] of edges) if (!canExit.has(id) && next.some((n) => canExit.has(n))) (canExit.add(id), (grew = true));
    }
    for (const id of Object.keys(flow.steps)) if (seen.has(id) && !canExit.has(id)) at(['steps', id], `step "${id}" is a dead end: no path from it leads out of the flow`);
    // Loops that never wait for the user.
    const waits = (id: string) => KINDS[flow.steps[id]!.type]!.waits;
    const state = new Map<string, 1 | 2>();
    const visit = (id: string, path: string[]): void => {
      state.set(id, 1);
      for (const n of edges.get(id) ?? []) {
        if (waits(n)) continue;
        if (state.get(n) === 1) at(['steps', n], `steps ${[...path.slice(path.indexOf(n)), id, n].join(' -> ')} loop without ever waiting for the user`);
        else if (!state.has(n)) visit(n, [...path, id]);
      }
      state.set(id, 2);
    };
    for (const id of Object.keys(flow.steps)) if (!waits(id) && !state.has(id)) visit(id, []);
    checkTransient(flow, at);
  }
  for (const flow of ctx.flows.values()) {
    if (!calledFlows.has(flow.id)) problems.push({ file: flow.file, line: flow.line(['id']), message: `flow "${flow.id}" is never used: no menu, step or intent leads to it` });
  }
  // Texts: every locale has the same keys, and every key is used somewhere.
  const covered = (key: string) =>
    used.has(key) || ctx.codeKeys.some((k) => (k.endsWith('.*') ? key.startsWith(k.slice(0, -1)) : k === key));
  const langs = Object.keys(ctx.locales);
  for (const [lang, index] of Object.entries(ctx.locales)) {
    for (const key of index.keys) {
      const where = index.file(key) ?? { file: `locales/${lang}`, line: 1 };
      if (!covered(key)) problems.push({ ...where, message: `text "${key}" is never used by a flow or the code` });
      for (const other of langs) {
        if (other !== lang && !ctx.locales[other]!.keys.has(key)) problems.push({ ...where, message: `text "${key}" is missing from locales/${other}` });
      }
    }
  }
  for (const key of ctx.codeKeys) {
    if (key.endsWith('.*')) continue;
    for (const [lang, index] of Object.entries(ctx.locales)) {
      if (!index.keys.has(key)) problems.push({ file: `locales/${lang}`, line: 1, message: `the code uses text "${key}" that locales/${lang} lacks` });
    }
  }
  return problems;
}
