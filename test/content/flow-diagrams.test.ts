import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowToMermaid } from '../../src/engine/graph.js';
import { loadContent } from '../../src/content/index.js';
import { ROOT } from '../helpers/cli.js';

// docs/flows holds a diagram per flow for staff to read (npm run flows:graph): they had fallen behind
// the flows once (three flows without one, a removed flow's still there) with nothing to say so.
describe('the flow diagrams staff read (docs/flows)', () => {
  it('are those npm run flows:graph writes from the flows as they are: one per flow, none left over', () => {
    const content = loadContent();
    const dir = join(ROOT, 'docs/flows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual([...content.bundle.flows.keys()].map((id) => `${id}.md`).sort());
    for (const flow of content.bundle.flows.values()) {
      const want = flowToMermaid(flow, (key) => content.texts.t('id', key));
      expect(readFileSync(join(dir, `${flow.id}.md`), 'utf8'), `${flow.id}: run npm run flows:graph`).toBe(want);
    }
  });
});
