// Transient variables: a flow lists the variables (such as the text of a pasted offer) that must never
// be saved. One lives only during the turn that stored it: the steps that run before the flow waits
// again can read it (an effect gets it as an argument), and it is gone from every session step()
// returns. Variables are session-wide, so a name one flow declares transient is transient everywhere.
import type { Bundle, Flow } from './flow.js';
import type { SayItem } from './kind.js';
import { varRef } from './names.js';
import { KINDS } from './steps/index.js';
import type { Session } from './types.js';

const declared = new WeakMap<Bundle['flows'], ReadonlySet<string>>();

function transientNames(bundle: Bundle): ReadonlySet<string> {
  let names = declared.get(bundle.flows);
  if (!names) {
    names = new Set([...bundle.flows.values()].flatMap((f) => f.transient));
    declared.set(bundle.flows, names);
  }
  return names;
}

/** Removes every transient variable from the session: done at the end of each step() call. */
export function dropTransient(bundle: Bundle, session: Session): void {
  for (const name of transientNames(bundle)) delete session.vars[name];
}

function sayVars(items: readonly SayItem[]): string[] {
  return items.flatMap((i) => (typeof i === 'object' && 'key' in i && i.vars ? Object.values(i.vars) : []).flatMap((v) => varRef(v) ?? []));
}

/** Where a step goes next within the same turn: its ways on to steps of this flow, unless it waits or calls a flow. */
function sameTurnNext(flow: Flow, id: string): string[] {
  const step = flow.steps[id]!;
  const edges = KINDS[step.type]!.edges(step);
  if (edges.some((e) => e.style === 'call')) return [];
  return edges.filter((e) => flow.steps[e.target]).map((e) => e.target);
}

/** Steps entered after one of `from` before the flow waits for the user again. */
function sameTurn(flow: Flow, from: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = from.flatMap((id) => sameTurnNext(flow, id));
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!KINDS[flow.steps[id]!.type]!.waits) queue.push(...sameTurnNext(flow, id));
  }
  return seen;
}

/**
 * flows:check for a flow's transient list: each name is stored and read by steps of the flow, and
 * read only in the turn that stored it (before the flow waits again), while it still has its value.
 */
export function checkTransient(flow: Flow, at: (path: (string | number)[], message: string) => void): void {
  if (!flow.transient.length) return;
  const steps = Object.entries(flow.steps).map(([id, step]) => {
    const kind = KINDS[step.type]!;
    return { id, reads: [...sayVars(kind.sayItems(step)), ...(kind.reads?.(step) ?? [])], writes: kind.writes?.(step) ?? [] };
  });
  const stores = (written: string[], name: string) => written.some((w) => w === name || (w.endsWith('.*') && name.startsWith(w.slice(0, -1))));
  flow.transient.forEach((name, i) => {
    const writers = steps.filter((s) => stores(s.writes, name)).map((s) => s.id);
    const readers = steps.filter((s) => s.reads.includes(name)).map((s) => s.id);
    if (!writers.length) return at(['transient', i], `transient variable "${name}" is not stored by any step of this flow`);
    if (!readers.length) return at(['transient', i], `transient variable "${name}" is never read by a step of this flow`);
    const live = sameTurn(flow, writers);
    for (const id of readers) {
      if (!live.has(id)) at(['steps', id], `step "${id}" reads transient variable "${name}" after the flow waited for the user, when it is gone (it lives only during the turn that stored it)`);
    }
  });
}
