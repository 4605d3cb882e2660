// Pictures in the terminal chat: `/image PATH [caption]` (or /gambar) sends the picture in a file,
// read when the message is handled (its size first: too large is refused without reading it); `[foto]`
// still stands for a photo with nothing to read. Files are made in a temporary folder of this test.
import { mkdtemp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { filePicture, IMAGE_USAGE, parseLine } from '../../src/channels/terminal.js';
import { loadContent } from '../../src/content/index.js';
import { PICTURE_MAX_BYTES } from '../../src/conversation/picture.js';
import { runCli } from '../helpers/cli.js';
import { drawText } from '../helpers/pictures.js';
import { MB, OFFER, problem } from './picture-helpers.js';

/** Files the terminal channel opened to read (its stat is not counted). */
const opened = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = ((path: Parameters<typeof real.open>[0], ...rest: unknown[]) => {
    opened.push(String(path));
    return (real.open as (...a: unknown[]) => ReturnType<typeof real.open>)(path, ...rest);
  }) as typeof real.open;
  return { ...real, open };
});

const content = loadContent();
const t = (key: string) => content.texts.t('id', key);

describe('a picture from a file in the terminal chat', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'waspada-terminal-picture-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('/image PATH caption (and /gambar) is a picture message with the caption as its text', () => {
    const cwd = '/home/migran/unduhan';
    const a = parseLine('/image ./flyer.jpg Lowongan kerja di Kamboja', cwd);
    expect(a).toMatchObject({ text: 'Lowongan kerja di Kamboja', media: 'image' });
    expect('picture' in a && a.picture).toBeTruthy();
    expect(parseLine('/gambar flyer.png', cwd)).toMatchObject({ text: '', media: 'image' });
    expect(parseLine('  /IMAGE /tmp/x.webp  ', cwd)).toMatchObject({ text: '', media: 'image' });
    // A path with spaces in quotes; the caption after it.
    expect(parseLine('/image "brosur kerja baru.jpg"   gaji 15 juta', cwd)).toMatchObject({ text: 'gaji 15 juta', media: 'image' });
    expect(parseLine("/gambar 'my flyer.png'", cwd)).toMatchObject({ text: '', media: 'image' });
  });

  it('without a path, or with an unclosed quote, the line is a usage hint; a longer word is text', () => {
    expect(parseLine('/image')).toEqual({ usage: IMAGE_USAGE });
    expect(parseLine('/gambar   ')).toEqual({ usage: IMAGE_USAGE });
    expect(parseLine('/image "flyer.jpg caption')).toEqual({ usage: IMAGE_USAGE });
    expect(parseLine('/image ""')).toEqual({ usage: IMAGE_USAGE });
    expect(parseLine('/images of the job')).toEqual({ text: '/images of the job' });
  });

  it('[foto] caption stays a photo with nothing to read', () => {
    expect(parseLine('[foto] lowongan kerja')).toEqual({ text: 'lowongan kerja', media: 'photo' });
    expect(parseLine('[gambar]')).toEqual({ text: '', media: 'image' });
  });

  it("a file's bytes are read exactly, from the folder the chat runs in, from ~/, or quoted", async () => {
    const bytes = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#405060' } }).png().toBuffer();
    await mkdir(join(dir, 'with space'));
    await writeFile(join(dir, 'with space', 'iklan kerja.png'), bytes);
    const read = async (line: string, cwd = dir) => {
      const parsed = parseLine(line, cwd);
      if (!('picture' in parsed) || !parsed.picture) throw new Error(`no picture in ${line}`);
      return parsed.picture.fetch(PICTURE_MAX_BYTES);
    };
    expect((await read('/image "with space/iklan kerja.png" cek')).equals(bytes)).toBe(true);
    expect((await read(`/gambar '${join(dir, 'with space', 'iklan kerja.png')}'`, '/')).equals(bytes)).toBe(true);
    const home = join(homedir(), `.waspada-test-${process.pid}.png`);
    await writeFile(home, bytes);
    try {
      expect((await read(`/image ~/${home.slice(homedir().length + 1)}`, '/')).equals(bytes)).toBe(true);
    } finally {
      await rm(home, { force: true });
    }
  });

  it('a file over 5 MB is refused as too_large without reading it', async () => {
    const big = join(dir, 'poster-besar.jpg');
    await writeFile(big, '');
    await truncate(big, 6 * MB);
    const before = opened.length;
    expect((await problem(filePicture(big).fetch(PICTURE_MAX_BYTES))).kind).toBe('too_large');
    expect(opened.length).toBe(before);
    // Exactly the limit is read.
    const edge = join(dir, 'pas.jpg');
    await writeFile(edge, '');
    await truncate(edge, PICTURE_MAX_BYTES);
    expect((await filePicture(edge).fetch(PICTURE_MAX_BYTES)).length).toBe(PICTURE_MAX_BYTES);
    expect(opened.slice(before)).toEqual([edge]);
  });

  it("a missing file, or a folder, is 'unavailable' with a message saying so", async () => {
    const missing = join(dir, 'tidak-ada.png');
    expect(await problem(filePicture(missing).fetch(PICTURE_MAX_BYTES))).toMatchObject({ kind: 'unavailable', message: `no file at ${missing}` });
    expect(await problem(filePicture(dir).fetch(PICTURE_MAX_BYTES))).toMatchObject({ kind: 'unavailable', message: `${dir} is not a file` });
  });

  it('in the chat: a flyer gets "reading…" and the verdict; a missing file is said; /image alone shows how', async () => {
    const flyer = join(dir, 'flyer kamboja.jpg');
    await writeFile(flyer, await drawText(OFFER, { jpeg: 85 }));
    const r = await runCli(['chat', '--lang', 'id'], ['/start', '1', `/image "${flyer}"`, `/gambar ${join(dir, 'hilang.png')} cek ini`, '/image'].join('\n') + '\n');
    expect(r.code).toBe(0);
    const reading = r.stdout.indexOf(t('conversation.picture_reading'));
    expect(reading).toBeGreaterThanOrEqual(0);
    const verdict = r.stdout.indexOf('RISIKO TINGGI', reading);
    expect(verdict).toBeGreaterThan(reading);
    expect(r.stdout.slice(reading)).toMatch(/Sihanoukville|visa turis/);
    const missing = r.stdout.indexOf(`(no file at ${join(dir, 'hilang.png')})`);
    expect(missing).toBeGreaterThan(verdict);
    expect(r.stdout.slice(verdict, missing)).toContain(t('engine.picture.unavailable'));
    expect(r.stdout.indexOf(IMAGE_USAGE)).toBeGreaterThan(missing);
  });
});
