// Texts: i18next over locales/<lang>/<file>.json, where file name is the first part of every key.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type i18n as I18n, type Resource } from 'i18next';
import type { LocaleIndex } from '../engine/check.js';
import { LANGS, type Lang } from '../engine/types.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

export interface Texts {
  t(lang: Lang, key: string, vars?: Record<string, unknown>): string;
  has(lang: Lang, key: string): boolean;
  index(lang: Lang): LocaleIndex;
}

/** One language's texts as read from locales/<lang> (what a compiled content bundle keeps too). */
export interface LoadedLocale {
  resource: Record<string, unknown>;
  keys: Set<string>;
  where: Map<string, { file: string; line: number }>;
}

/** Keys and their lines from a pretty-printed JSON file (one key per line). */
function indexJson(file: string, text: string, prefix: string, keys: Set<string>, where: Map<string, { file: string; line: number }>) {
  const path: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = line.match(/^(\s*)"((?:[^"\\]|\\.)+)"\s*:\s*(.*)$/);
    if (!m) return;
    const depth = Math.max(0, m[1]!.length / 2 - 1);
    path.length = depth;
    path[depth] = m[2]!;
    const rest = m[3]!;
    if (rest.startsWith('{')) return;
    const key = [prefix, ...path].join('.').replace(PLURAL_SUFFIX, '');
    keys.add(key);
    if (!where.has(key)) where.set(key, { file, line: i + 1 });
  });
}

/** Texts in locales/ that are not the chat's: the staff web console reads its own (src/staff/web/texts.ts). */
export const NOT_CHAT_TEXTS: ReadonlySet<string> = new Set(['console.json']);

function loadLocale(dir: string, lang: Lang, display: (f: string) => string): LoadedLocale {
  const resource: Record<string, unknown> = {};
  const keys = new Set<string>();
  const where = new Map<string, { file: string; line: number }>();
  const langDir = join(dir, lang);
  for (const name of readdirSync(langDir).filter((f) => f.endsWith('.json') && !NOT_CHAT_TEXTS.has(f)).sort()) {
    const file = join(langDir, name);
    const text = readFileSync(file, 'utf8');
    const prefix = basename(name, '.json');
    try {
      resource[prefix] = JSON.parse(text);
    } catch (e) {
      throw new Error(`${display(file)}: not valid JSON: ${(e as Error).message}`);
    }
    indexJson(display(file), text, prefix, keys, where);
  }
  return { resource, keys, where };
}

export function loadTexts(dir: string, display = (f: string) => f): Texts {
  return textsFrom(readLocales(dir, display));
}

/** Every language's texts read from locales/ (JSON errors are thrown with their file). */
export function readLocales(dir: string, display = (f: string) => f): Record<Lang, LoadedLocale> {
  return Object.fromEntries(LANGS.map((l) => [l, loadLocale(dir, l, display)])) as Record<Lang, LoadedLocale>;
}

/** Texts kept at most (then all are dropped and worked out again): far more than the content has. */
const MEMO_MAX = 4096;

/**
 * Where t()'s result is kept, when it can be: a text without values, or whose values are numbers or
 * booleans (a count, a limit). Such a result depends on the language, the key and those values only
 * (the resources never change once loaded), so i18next works it out once, plurals and all. A text
 * with a string value (a name, anything a person typed) is never kept: undefined.
 */
function memoKey(lang: Lang, key: string, vars: Record<string, unknown> | undefined): string | undefined {
  let id = `${lang}\u0000${key}`;
  if (vars) {
    for (const name in vars) {
      const v = vars[name];
      if (typeof v === 'number') id += `\u0000${name}=${Object.is(v, -0) ? '-0' : v}`;
      else if (typeof v === 'boolean' || v === undefined) id += `\u0000${name}=${v}`;
      else return undefined;
    }
  }
  return id;
}

/** The texts made from what readLocales read (or a compiled bundle kept). */
export function textsFrom(loaded: Record<Lang, LoadedLocale>): Texts {
  const resources: Resource = {};
  for (const l of LANGS) resources[l] = { translation: loaded[l].resource as Record<string, string> };
  const inst: I18n = i18next.createInstance();
  void inst.init({
    resources,
    lng: 'id',
    fallbackLng: 'id',
    supportedLngs: [...LANGS],
    initAsync: false,
    returnNull: false,
    // Chat text is plain: values are inserted as they are; each channel escapes for its own markup.
    interpolation: { escapeValue: false },
  });
  const fixed = Object.fromEntries(LANGS.map((l) => [l, inst.getFixedT(l)])) as Record<Lang, ReturnType<I18n['getFixedT']>>;
  const memo = new Map<string, string>();
  return {
    t: (lang, key, vars) => {
      const id = memoKey(lang, key, vars);
      if (id === undefined) return String(fixed[lang](key, vars as never));
      let text = memo.get(id);
      if (text === undefined) {
        if (memo.size >= MEMO_MAX) memo.clear();
        text = String(fixed[lang](key, vars as never));
        memo.set(id, text);
      }
      return text;
    },
    has: (lang, key) => loaded[lang].keys.has(key),
    index: (lang) => ({ keys: loaded[lang].keys, file: (key) => loaded[lang].where.get(key) }),
  };
}
