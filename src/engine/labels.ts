// Choice labels as typed answers are matched against them, worked out once per bundle and label.
import type { Bundle } from './flow.js';
import { squash } from './text.js';
import { LANGS } from './types.js';

/** A label key's text in every language, squashed, and the words of those texts. */
export interface LabelForms {
  texts: readonly string[];
  words: ReadonlySet<string>;
}

/**
 * Per bundle, per label key. A bundle's texts do not change while it is in use (new content is a new
 * bundle), so a label is looked up and squashed the first time a typed answer is matched against it,
 * not for every message.
 */
const forms = new WeakMap<Bundle, Map<string, LabelForms>>();

/** What `make` works out of a bundle's text key, kept in `store` per bundle and key. */
function once<T>(store: WeakMap<Bundle, Map<string, T>>, bundle: Bundle, key: string, make: () => T): T {
  let byKey = store.get(bundle);
  if (!byKey) store.set(bundle, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = make()));
  return value;
}

export function labelForms(bundle: Bundle, key: string): LabelForms {
  return once(forms, bundle, key, () => {
    const texts = LANGS.map((l) => squash(bundle.label(l, key)));
    return { texts, words: new Set(texts.flatMap((t) => t.split(' '))) };
  });
}

/**
 * Words a choice is also asked for by (`words` of a choice: a text key whose text lists them, comma
 * separated, in each language): "nomor kbri" for "Kontak darurat". Squashed, every language's, longest
 * first; once per bundle and key.
 */
const keywordLists = new WeakMap<Bundle, Map<string, readonly string[]>>();

export function keywordForms(bundle: Bundle, key: string): readonly string[] {
  return once(keywordLists, bundle, key, () => {
    const all = LANGS.flatMap((l) => bundle.label(l, key).split(',')).map((w) => squash(w)).filter(Boolean);
    return [...new Set(all)].sort((a, b) => b.length - a.length);
  });
}
