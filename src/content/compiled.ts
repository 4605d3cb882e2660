// Content compiled at build time: `flows:check --write dist/content.json` (npm run build runs it) keeps
// the flows, texts and reference data it has read and checked in full as plain data, with a hash of
// every file under flows/, locales/ and data/ and one of the compiled code that read them. `serve`
// uses it when both still match what is on disk (hashing is cheap: that is the check at start);
// otherwise it reads and checks everything in full, as flows:check does, and refuses broken content.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flowData, flowFromData, type FlowData, type Problem } from '../engine/flow.js';
import type { EffectSignature } from '../engine/kind.js';
import { LANGS, type Lang } from '../engine/types.js';
import type { LoadedLocale } from '../i18n/index.js';
import { indicatorsFrom, type Indicator, type IndicatorRule } from '../hotline/indicators.js';
import type { Partner } from '../hotline/partners.js';
import type { Contact, Fact, ReferenceData } from './data.js';
import { checkContent, contentDirs, contentFrom, readContentParts, ROOT, type Content, type ContentDirs, type ContentParts } from './index.js';

const FORMAT = 1;
/** The compiled code (dist/src, or src when run from source): what made the bundle is part of its hash. */
const CODE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build puts the bundle: dist/content.json, beside the compiled code (dist/src). */
export const BUNDLE_FILE = join(CODE_DIR, '..', 'content.json');
/** Run by the compiled code (not from the sources with tsx, which never has a bundle of its own). */
const COMPILED = basename(dirname(CODE_DIR)) === 'dist';

interface BundleFile {
  format: number;
  /** Hash of the code that read and checked the content. */
  code: string;
  /** Hash of every file under flows/, locales/ and data/, by path from the root. */
  sources: Record<string, string>;
  flows: FlowData[];
  locales: Record<Lang, { resource: Record<string, unknown>; keys: string[]; where: [string, { file: string; line: number }][] }>;
  data: { contacts: Contact[]; facts: Fact[]; countries: ReferenceData['countries']; regions: ReferenceData['regions']; partners: Partner[]; indicators: { rule: IndicatorRule; indicators: Indicator[] } };
}

const hash = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('base64url');

function filesBelow(dir: string, keep: (name: string) => boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

/** The code's hash: every compiled module (or source module) below CODE_DIR. */
function codeHash(): string {
  const h = createHash('sha256');
  for (const f of filesBelow(CODE_DIR, (n) => /\.(js|ts)$/.test(n))) h.update(relative(CODE_DIR, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('base64url');
}

/** A hash of every file the content may come from, by its path from root (with / separators). */
function sourceHashes(dirs: ContentDirs, root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of [dirs.flows, dirs.locales, dirs.data]) {
    for (const f of filesBelow(dir, () => true)) out[relative(root, f).split(sep).join('/')] = hash(readFileSync(f));
  }
  return out;
}

/** What changed between the files the bundle was made from and those on disk (empty: nothing). */
function changedSources(was: Record<string, string>, now: Record<string, string>): string[] {
  const names = new Set([...Object.keys(was), ...Object.keys(now)]);
  return [...names].filter((n) => was[n] !== now[n]).sort();
}

/** Writes parts that passed the full check as a bundle (atomically: a server starting meanwhile reads the old one or the new). */
export function writeContentBundle(file: string, parts: ContentParts, dirs: ContentDirs = contentDirs(), root = ROOT): void {
  if (parts.problems.length) throw new Error('content with problems is not compiled');
  const bundle: BundleFile = {
    format: FORMAT,
    code: codeHash(),
    sources: sourceHashes(dirs, root),
    flows: [...parts.flows.values()].map(flowData),
    locales: Object.fromEntries(
      LANGS.map((l) => [l, { resource: parts.locales[l].resource, keys: [...parts.locales[l].keys], where: [...parts.locales[l].where] }]),
    ) as BundleFile['locales'],
    data: { contacts: [...parts.data.contacts.values()], facts: [...parts.data.facts.values()], countries: parts.data.countries, regions: parts.data.regions, partners: [...parts.data.partners.values()], indicators: { rule: parts.data.indicators.rule, indicators: [...parts.data.indicators.list] } },
  };
  const json = JSON.stringify(bundle);
  // Steps are data; anything JSON cannot carry (a Date, an undefined field) would come back changed.
  if (!sameData(JSON.parse(json), bundle)) throw new Error('the content does not survive JSON unchanged; not compiled');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, json);
  renameSync(tmp, file);
}

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(b) !== (Array.isArray(b) ? Array.prototype : Object.prototype)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && kb.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The parts kept in a bundle, when it was made from exactly the files on disk by this code; else why not. */
export function readContentBundle(file = BUNDLE_FILE, dirs: ContentDirs = contentDirs(), root = ROOT): { parts: ContentParts } | { why: string } {
  let bundle: BundleFile;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8')) as BundleFile;
  } catch (e) {
    return { why: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no compiled content at ${file}` : `${file} is unreadable: ${(e as Error).message}` };
  }
  if (bundle?.format !== FORMAT) return { why: `${file} is of another format` };
  if (bundle.code !== codeHash()) return { why: 'the code changed since the content was compiled' };
  const changed = changedSources(bundle.sources, sourceHashes(dirs, root));
  if (changed.length) return { why: `changed since the content was compiled: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? `, and ${changed.length - 5} more` : ''}` };
  return {
    parts: {
      flows: new Map(bundle.flows.map((f) => [f.id, flowFromData(f, resolve(root, f.file))])),
      locales: Object.fromEntries(
        LANGS.map((l) => [l, { resource: bundle.locales[l].resource, keys: new Set(bundle.locales[l].keys), where: new Map(bundle.locales[l].where) } satisfies LoadedLocale]),
      ) as Record<Lang, LoadedLocale>,
      data: {
        contacts: new Map(bundle.data.contacts.map((c) => [c.id, c])),
        facts: new Map(bundle.data.facts.map((f) => [f.id, f])),
        countries: bundle.data.countries,
        regions: bundle.data.regions,
        partners: new Map(bundle.data.partners.map((p) => [p.id, p])),
        indicators: indicatorsFrom(bundle.data.indicators),
      },
      problems: [],
    },
  };
}

export interface CheckedContent {
  content: Content;
  /** Every problem the full check found (none when the bundle was used: it passed that check when built). */
  problems: Problem[];
  /** Null when the compiled bundle was used; otherwise why it was not (the content was checked in full). */
  checkedInFull: string | null;
}

/**
 * The content `serve` runs: the compiled bundle when it still matches the files and the code, or
 * else everything read and checked in full (shape, then references: as flows:check).
 */
export function loadCheckedContent(
  effects: Readonly<Record<string, EffectSignature>>,
  codeKeys: readonly string[],
  opts: { file?: string; dirs?: ContentDirs; root?: string } = {},
): CheckedContent {
  const root = opts.root ?? ROOT;
  const dirs = opts.dirs ?? contentDirs(root);
  const compiled = opts.file || COMPILED ? readContentBundle(opts.file ?? BUNDLE_FILE, dirs, root) : { why: 'run from the sources, not the build (dist/)' };
  if ('parts' in compiled) return { content: contentFrom(compiled.parts), problems: [], checkedInFull: null };
  const content = contentFrom(readContentParts(dirs, root));
  return { content, problems: checkContent(content, effects, codeKeys), checkedInFull: compiled.why };
}
