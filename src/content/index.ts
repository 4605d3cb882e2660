// Everything a deployment says, loaded once at start: flows, texts, reference data.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFlows } from '../engine/check.js';
import { loadFlowDir, type Bundle, type Flow, type Problem } from '../engine/flow.js';
import type { EffectSignature } from '../engine/kind.js';
import { LANGS, type Lang } from '../engine/types.js';
import { readLocales, textsFrom, type LoadedLocale, type Texts } from '../i18n/index.js';
import { loadReferenceData, type ReferenceData } from './data.js';
import { Renderer } from './render.js';

/** The repository (or image) root: the folder holding flows/, locales/ and data/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), existsSync(join(dirname(fileURLToPath(import.meta.url)), '../../flows')) ? '../..' : '../../..');

export const ENTRY_FLOW = 'welcome';
export const MENU_FLOW = 'main';
/** Flows the global intents run; `offer` checks a job offer pasted anywhere (its start step takes the text). */
export const INTENT_FLOWS = { emergency: 'emergency', language: 'language', stop: 'stop', forget: 'forget', offer: 'check-offer', subscription: 'subscribe', safety: 'safety' } as const;

export interface Content {
  bundle: Bundle;
  texts: Texts;
  data: ReferenceData;
  renderer: Renderer;
  /** Shape problems found while loading the flows (empty for a healthy tree). */
  problems: Problem[];
}

export interface ContentDirs {
  flows: string;
  locales: string;
  data: string;
}

export function contentDirs(root = ROOT): ContentDirs {
  return { flows: join(root, 'flows'), locales: join(root, 'locales'), data: join(root, 'data') };
}

/** What the content is made of, as read from its files (or kept in a compiled bundle, see compiled.ts). */
export interface ContentParts {
  flows: Map<string, Flow>;
  locales: Record<Lang, LoadedLocale>;
  data: ReferenceData;
  problems: Problem[];
}

/** Reads and checks the shape of every flow, text and piece of reference data (files named relative to root). */
export function readContentParts(dirs: ContentDirs = contentDirs(), root = ROOT): ContentParts {
  const display = (f: string) => relative(root, f) || f;
  const { flows, problems } = loadFlowDir(dirs.flows, display);
  return { flows, locales: readLocales(dirs.locales, display), data: loadReferenceData(dirs.data), problems };
}

export function loadContent(dirs: ContentDirs = contentDirs(), root = ROOT): Content {
  return contentFrom(readContentParts(dirs, root));
}

/** The one way content is made: from the files just read, or from a compiled bundle. */
export function contentFrom({ flows, locales, data, problems }: ContentParts): Content {
  const texts = textsFrom(locales);
  const bundle: Bundle = {
    flows,
    entry: ENTRY_FLOW,
    menu: MENU_FLOW,
    intents: INTENT_FLOWS,
    countries: data.countries,
    regions: data.regions,
    emergencyContacts: emergencyContacts(flows.get(INTENT_FLOWS.emergency)),
    label: (lang, key) => texts.t(lang, key),
  };
  return { bundle, texts, data, renderer: new Renderer(texts, data), problems };
}

/** The contacts the emergency flow shows first: the same ones go with an emergency alert. */
function emergencyContacts(flow: Flow | undefined): string[] {
  const first = flow?.steps[flow.start];
  const items = (first?.say ?? []) as unknown[];
  return items.flatMap((i) => (i && typeof i === 'object' && 'contacts' in i ? (i as { contacts: string[] }).contacts : []));
}

/** Loads and checks everything; problems are file:line messages. */
export function checkContent(
  content: Content,
  effects: Readonly<Record<string, EffectSignature>>,
  codeKeys: readonly string[],
): Problem[] {
  return [
    ...content.problems,
    ...checkFlows({
      flows: content.bundle.flows,
      roots: [ENTRY_FLOW, MENU_FLOW, ...Object.values(INTENT_FLOWS)],
      locales: Object.fromEntries(LANGS.map((l) => [l, content.texts.index(l)])),
      contacts: new Set(content.data.contacts.keys()),
      facts: new Set(content.data.facts.keys()),
      effects,
      codeKeys,
    }),
  ];
}
