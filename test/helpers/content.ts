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
  // Places as the data files give them (the test world's carry their zones; a bundle type keeps names only).
  const zoned = (list: Bundle['countries']) => list.map((p) => ({ tz: 'Asia/Jakarta', ...p }));
  const data = { contacts: new Map(), facts: new Map(), countries: zoned(bundle.countries), regions: zoned(bundle.regions), partners: new Map(), indicators: { list: [], byId: new Map(), groups: [], rule: { any_of: [{ any: 1 }] } } };
  return { bundle, texts, data, renderer: new Renderer(texts, data), problems: [] };
}
