// Content for service tests built from the engine test world: texts are "key|json(vars)".
import type { Content } from '../../src/content/index.js';
import { Renderer } from '../../src/content/render.js';
import type { Bundle } from '../../src/engine/flow.js';
import type { Texts } from '../../src/i18n/index.js';

export function contentFor(bundle: Bundle): Content {
  const texts: Texts = {
    t: (lang, key, vars) => `${lang}:${key}${vars && Object.keys(vars).length ? JSON.stringify(vars) : ''}`,
    has: () => true,
    index: () => ({ keys: new Set(), file: () => undefined }),
  };
  const data = { contacts: new Map(), facts: new Map(), countries: [...bundle.countries], partners: new Map() };
  return { bundle, texts, data, renderer: new Renderer(texts, data), problems: [] };
}
