import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckedContent, writeContentBundle } from '../../src/content/compiled.js';
import { contentDirs, loadContent, readContentParts } from '../../src/content/index.js';
import { effectSignatures } from '../../src/conversation/effects.js';
import { CODE_KEYS } from '../../src/conversation/service.js';
import { formatProblem } from '../../src/engine/flow.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DATA_KEY, REDIS_URL } from '../helpers/redis.js';
import { SECRET, TOKEN } from '../helpers/telegram.js';

/** A copy of the shipped flows, texts and data, with a compiled bundle made from it. */
let root: string;
let file: string;
const load = () => loadCheckedContent(effectSignatures(), CODE_KEYS, { root, file });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'waspada-compiled-'));
  for (const dir of ['flows', 'locales', 'data']) cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
  file = join(root, 'content.json');
  writeContentBundle(file, readContentParts(contentDirs(root), root), contentDirs(root), root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('compiled content (dist/content.json)', () => {
  it('is used while the files it was made from are unchanged, and gives the same content as reading them', () => {
    const compiled = load();
    expect(compiled.checkedInFull).toBeNull();
    expect(compiled.problems).toEqual([]);
    const read = loadContent(contentDirs(root), root);
    const { content } = compiled;
    expect([...content.bundle.flows.keys()]).toEqual([...read.bundle.flows.keys()]);
    for (const [id, flow] of read.bundle.flows) {
      const kept = content.bundle.flows.get(id)!;
      expect(kept.steps).toEqual(flow.steps);
      expect({ ...kept, line: 0, invalid: [...kept.invalid] }).toEqual({ ...flow, line: 0, invalid: [...flow.invalid] });
      // Lines for messages come from the file itself, as when it is read.
      const step = Object.keys(flow.steps).at(-1)!;
      expect(kept.line(['steps', step, 'type'])).toBe(flow.line(['steps', step, 'type']));
    }
    expect(content.bundle.emergencyContacts).toEqual(read.bundle.emergencyContacts);
    expect(content.bundle.countries).toEqual(read.bundle.countries);
    expect(content.bundle.regions).toEqual(read.bundle.regions);
    expect(content.data.regions).toHaveLength(38);
    expect(content.bundle.label('en', 'common.menu')).toBe(read.bundle.label('en', 'common.menu'));
    expect(content.texts.t('id', 'engine.hint.choice', { count: 3 })).toBe(read.texts.t('id', 'engine.hint.choice', { count: 3 }));
    expect(content.texts.index('en').keys).toEqual(read.texts.index('en').keys);
    expect(content.texts.index('en').file('engine.hint.choice')).toEqual(read.texts.index('en').file('engine.hint.choice'));
    expect([...content.data.contacts.entries()]).toEqual([...read.data.contacts.entries()]);
    expect([...content.data.facts.entries()]).toEqual([...read.data.facts.entries()]);
    expect(content.renderer.reply('en', { say: [{ contacts: [...read.data.contacts.keys()].slice(0, 2) }] })).toEqual(
      read.renderer.reply('en', { say: [{ contacts: [...read.data.contacts.keys()].slice(0, 2) }] }),
    );
  });

  it('is ignored when a text changed since: everything is read and checked in full, and the new text is used', () => {
    const en = join(root, 'locales/en/engine.json');
    writeFileSync(en, readFileSync(en, 'utf8').replace('Reply with the number {{count}} or press the button.', 'Press the button, or reply {{count}}.'));
    const { content, problems, checkedInFull } = load();
    expect(checkedInFull).toContain('locales/en/engine.json');
    expect(problems).toEqual([]);
    expect(content.texts.t('en', 'engine.hint.choice', { count: 1 })).toBe('Press the button, or reply 1.');
  });

  it('is ignored when a flow, a data file or the set of files changed', () => {
    appendFileSync(join(root, 'flows/main.yaml'), '\n# edited\n');
    expect(load().checkedInFull).toContain('flows/main.yaml');
    writeContentBundle(file, readContentParts(contentDirs(root), root), contentDirs(root), root);
    expect(load().checkedInFull).toBeNull();
    appendFileSync(join(root, 'data/contacts.yaml'), '\n# edited\n');
    expect(load().checkedInFull).toContain('data/contacts.yaml');
    writeContentBundle(file, readContentParts(contentDirs(root), root), contentDirs(root), root);
    writeFileSync(join(root, 'flows/extra.yaml'), readFileSync(join(root, 'flows/stop.yaml'), 'utf8').replace('id: stop', 'id: extra'));
    const { checkedInFull, content } = load();
    expect(checkedInFull).toContain('flows/extra.yaml');
    expect(content.bundle.flows.has('extra')).toBe(true);
  });

  it('a flow broken since it was compiled is reported with file:line, as flows:check does', () => {
    const main = join(root, 'flows/main.yaml');
    writeFileSync(main, readFileSync(main, 'utf8').replace(/type: choice/, 'type: choise'));
    const { problems, checkedInFull } = load();
    expect(checkedInFull).toContain('flows/main.yaml');
    expect(problems.map(formatProblem).join('\n')).toMatch(/^flows\/main\.yaml:\d+: step "[a-z_]+" has unknown type "choise"/m);
  });

  it('a bundle that is missing, unreadable or of another format is not used', () => {
    rmSync(file);
    expect(load().checkedInFull).toContain('no compiled content');
    writeFileSync(file, '{"format": 0}');
    expect(load().checkedInFull).toContain('another format');
    writeFileSync(file, '{');
    expect(load().checkedInFull).toContain('unreadable');
  });

  it('content with problems is never compiled', () => {
    const parts = readContentParts(contentDirs(root), root);
    parts.problems.push({ file: 'flows/main.yaml', line: 1, message: 'broken' });
    expect(() => writeContentBundle(file, parts, contentDirs(root), root)).toThrow(/not compiled/);
  });
});

describe('serve with broken content', () => {
  it('refuses to start, with a file:line message for each problem (shape and references)', async () => {
    const r = await runCli(['serve', '--root', 'test/fixtures/broken'], '', {
      REDIS_URL,
      HASH_SECRET: 'x'.repeat(20),
      DATA_ENCRYPTION_KEY: DATA_KEY,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PORT: '0',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('flows/main.yaml:30: step "typo" has unknown type "choise"');
    expect(r.stderr).toContain('flows/main.yaml:6: step "menu" goes to unknown step "nowhere"');
    expect(r.stderr).not.toContain('waspada serving');
  });
});
