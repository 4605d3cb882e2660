// The console's texts, from locales/<lang>/console.json (not the chat's texts: src/i18n skips that file).
// A value is put in as given: the pages escape every text and value for HTML (src/staff/web/html.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentDirs, ROOT } from '../../content/index.js';
import { LANGS, type Lang } from '../../engine/types.js';

export type T = (key: string, vars?: Record<string, string | number>) => string;

function flatten(o: Record<string, unknown>, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else if (v && typeof v === 'object') flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
  }
  return out;
}

/** Every language's console texts (read once). */
export function loadConsoleTexts(root = ROOT): Record<Lang, Map<string, string>> {
  const dir = contentDirs(root).locales;
  return Object.fromEntries(LANGS.map((l) => [l, flatten(JSON.parse(readFileSync(join(dir, l, 'console.json'), 'utf8')) as Record<string, unknown>)])) as Record<Lang, Map<string, string>>;
}

export function translator(texts: Record<Lang, Map<string, string>>, lang: Lang): T {
  return (key, vars) => {
    const text = texts[lang].get(key) ?? texts.id.get(key) ?? key;
    return vars ? text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
