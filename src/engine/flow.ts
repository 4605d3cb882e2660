// A flow file: its shape, its loading from YAML with line numbers for every problem, and the bundle
// of everything step() needs.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { Country, Region } from './inputs.js';
import { VAR_NAME } from './names.js';
import { KINDS } from './steps/index.js';
import type { Lang } from './types.js';

export const SPEC_VERSION = 1;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = { type: string } & Record<string, any>;

export interface Flow {
  id: string;
  /** Steps present in the file but invalid (reported when loading); references to them are not errors again. */
  invalid: Set<string>;
  start: string;
  /** Someone may be in danger here: what this flow says goes out before everything else. */
  urgent: boolean;
  /** Variables that never outlive the turn that stored them (personal text): see transient.ts. */
  transient: string[];
  /**
   * People tell what happened here (a report): a text answer that contains a plea or reads like a job
   * offer is their answer, not a request for the emergency screen or the checker.
   */
  story: boolean;
  steps: Record<string, AnyStep>;
  file: string;
  /** Line of each step (and of its fields) in the file, for messages. */
  line(path: (string | number)[]): number;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** Everything the engine reads: flows and content lookups. Built once at start. */
export interface Bundle {
  flows: Map<string, Flow>;
  /** Flow for users who have not chosen a language or given consent yet. */
  entry: string;
  /** The main menu flow. */
  menu: string;
  /**
   * Flows the global intents run. `offer`: the flow that checks a job offer, whose start step (an
   * input step) takes the offer's text; a text the caller marks as a likely offer is handed to it
   * from anywhere. Without it, such a mark is ignored. `subscription`: the flow "/status" (what one is
   * subscribed to) runs; without it, those words are no command.
   */
  intents: { emergency: string; language: string; stop: string; forget: string; offer?: string; subscription?: string; safety?: string };
  countries: readonly Country[];
  /** The provinces of Indonesia (the `region` input). */
  regions: readonly Region[];
  /** Contacts shown with an emergency alert (a plea inside a long message). */
  emergencyContacts: readonly string[];
  label(lang: Lang, key: string): string;
}

/** The YAML parser, loaded when a flow file is first parsed (a server started from a compiled bundle never needs it). */
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

/** Parses one flow file. Shape problems (pass one) are returned with their line; references are checked later. */
export function parseFlow(file: string, source: string): { flow?: Flow; problems: Problem[] } {
  const { isMap, LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ file, line: lineOf(doc, counter, path), message });
  for (const e of doc.errors) problems.push({ file, line: e.linePos?.[0]?.line ?? 1, message: `YAML: ${e.message.split('\n')[0]}` });
  if (problems.length) return { problems };
  if (!isMap(doc.contents)) return { problems: [{ file, line: 1, message: 'a flow file must be a mapping with spec_version, id, start and steps' }] };
  const raw = doc.toJS() as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!['spec_version', 'id', 'start', 'steps', 'description', 'urgent', 'transient', 'story'].includes(key)) at([key], `unknown field "${key}"`);
  }
  if (raw.spec_version !== SPEC_VERSION) at(['spec_version'], `spec_version must be ${SPEC_VERSION} (found ${JSON.stringify(raw.spec_version)})`);
  const id = raw.id;
  if (typeof id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(id)) at(['id'], 'id must be a lower-case name like "check-offer"');
  else if (id !== basename(file).replace(/\.ya?ml$/, '')) at(['id'], `id "${id}" must match the file name`);
  if (typeof raw.start !== 'string') at(['start'], 'start must name the first step');
  if (raw.urgent !== undefined && typeof raw.urgent !== 'boolean') at(['urgent'], 'urgent must be true or false');
  if (raw.story !== undefined && typeof raw.story !== 'boolean') at(['story'], 'story must be true or false');
  const transient = raw.transient ?? [];
  if (!Array.isArray(transient)) at(['transient'], 'transient must be a list of variable names');
  else {
    transient.forEach((name, i) => {
      if (typeof name !== 'string' || !VAR_NAME.test(name)) at(['transient', i], `transient: ${JSON.stringify(name)} is not a variable name`);
      else if (transient.indexOf(name) !== i) at(['transient', i], `transient: "${name}" is listed twice`);
    });
  }
  const steps = raw.steps;
  if (!steps || typeof steps !== 'object' || Array.isArray(steps) || Object.keys(steps).length === 0) {
    at(['steps'], 'steps must be a mapping of step ids to steps');
    return { problems };
  }
  const parsed: Record<string, AnyStep> = {};
  const invalid = new Set<string>();
  for (const [stepId, step] of Object.entries(steps as Record<string, unknown>)) {
    const path = ['steps', stepId];
    if (!/^[a-z0-9_-]+$/.test(stepId)) at(path, `step id "${stepId}" may only use a-z, 0-9, _ and -`);
    const type = (step as { type?: unknown } | null)?.type;
    const kind = typeof type === 'string' ? KINDS[type] : undefined;
    if (!kind) {
      at([...path, 'type'], `step "${stepId}" has unknown type ${JSON.stringify(type)} (known: ${Object.keys(KINDS).join(', ')})`);
      invalid.add(stepId);
      continue;
    }
    const result = kind.schema.safeParse(step);
    if (!result.success) {
      for (const issue of result.error.issues) {
        at([...path, ...issue.path], `step "${stepId}"${issue.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue.message}`);
      }
      invalid.add(stepId);
      continue;
    }
    parsed[stepId] = (kind.defaults ? kind.defaults(result.data) : result.data) as AnyStep;
  }
  // A flow whose frame is wrong is not usable; one with some bad steps is kept, so that the reference
  // checks can still report everything else in one run (the caller refuses to run with any problem).
  if (problems.some((p) => !/^step "/.test(p.message))) return { problems };
  return {
    flow: {
      id: id as string,
      invalid,
      start: raw.start as string,
      urgent: raw.urgent === true,
      transient: transient as string[],
      story: raw.story === true,
      steps: parsed,
      file,
      line: (path) => lineOf(doc, counter, path),
    },
    problems,
  };
}

export function loadFlowDir(dir: string, display = (f: string) => f): { flows: Map<string, Flow>; problems: Problem[] } {
  const flows = new Map<string, Flow>();
  const problems: Problem[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const path = join(dir, name);
    const { flow, problems: found } = parseFlow(display(path), readFileSync(path, 'utf8'));
    problems.push(...found);
    if (flow) flows.set(flow.id, flow);
  }
  return { flows, problems };
}

/** A flow as plain data (what a compiled content bundle keeps): all but the line lookup. */
export type FlowData = Omit<Flow, 'invalid' | 'line'> & { invalid: string[] };

export function flowData(flow: Flow): FlowData {
  const { line: _line, invalid, ...rest } = flow;
  return { ...rest, invalid: [...invalid] };
}

/** A flow made again from its data; `path` is its file, parsed again only if a line is asked for (for a message). */
export function flowFromData(data: FlowData, path: string): Flow {
  let line: Flow['line'] | undefined;
  return {
    ...data,
    invalid: new Set(data.invalid),
    line: (at) => {
      if (!line) {
        const { LineCounter, parseDocument } = yaml();
        const counter = new LineCounter();
        const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: counter });
        line = (p) => lineOf(doc, counter, p);
      }
      return line(at);
    },
  };
}
