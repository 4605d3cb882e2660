// A channel is its own files behind the port plus one line in the registry: nothing else names a platform.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/channels/registry.js';
import { ROOT } from '../helpers/cli.js';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

describe('the channel port', () => {
  it('no source file outside a channel’s own files and the registry names Telegram', () => {
    const own = (file: string) =>
      file === 'src/channels/registry.ts' ||
      CHANNELS.some((c) => file.startsWith(`src/channels/${c.name}`)) ||
      // The checker reads offers, and offers say "contact us on Telegram": a word of the text, not the channel.
      file.startsWith('src/checker/');
    const naming = walk(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f))
      .filter((f) => !own(f) && /telegram/i.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(naming).toEqual([]);
  });

  it('every registered channel declares its settings, what asks for it, what it misses and how to build it', () => {
    expect(CHANNELS.length).toBeGreaterThan(0);
    for (const c of CHANNELS) {
      expect(c.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(c.signals.length).toBeGreaterThan(0);
      for (const s of c.signals) expect(Object.keys(c.settings)).toContain(s);
      expect(typeof c.create).toBe('function');
      expect(c.missing({} as never).length).toBeGreaterThan(0);
    }
    expect(new Set(CHANNELS.map((c) => c.name)).size).toBe(CHANNELS.length);
  });
});
