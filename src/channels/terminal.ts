// Terminal channel: a person chats in the terminal; scripts pipe lines in and read replies out.
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Outbound } from '../content/render.js';
import { PictureProblem, type PictureSource } from '../conversation/picture.js';
import type { ConversationService, MediaKind } from '../conversation/service.js';
import { overLimit, pictureSource } from './picture-source.js';

/**
 * The terminal cannot attach files, so a line can stand for one: "[foto] caption", "[suara]",
 * "[stiker]", "[lokasi]" (English names too), with nothing to read in it; a picture from a file is
 * `/image PATH` (below). Anything else is text.
 */
const MEDIA_NAMES: Record<string, MediaKind> = {
  foto: 'photo', photo: 'photo', gambar: 'image', image: 'image', dokumen: 'document', document: 'document', file: 'document',
  suara: 'voice', voice: 'voice', vn: 'voice', audio: 'audio', video: 'video', stiker: 'sticker', sticker: 'sticker',
  lokasi: 'location', location: 'location', kontak: 'contact', contact: 'contact',
};

/**
 * A picture from a file: `/image PATH [caption]` (or `/gambar`), the caption after the path on the same
 * line; a path with spaces in quotes (`/image "my flyer.jpg" caption`); `~/` is the home folder, and a
 * relative path is from the folder the chat was started in.
 */
const IMAGE_COMMAND = /^\s*\/(?:image|gambar)(?:\s+([\s\S]*))?$/i;
export const IMAGE_USAGE = 'Pemakaian / usage: /gambar BERKAS [keterangan] — /image PATH [caption]; a path with spaces in quotes: /image "my flyer.jpg" caption';

/** One line as a message (text, a media kind, a picture from a file), or a usage hint not to be sent. */
export type ParsedLine = { text: string; media?: MediaKind; picture?: PictureSource } | { usage: string };

export function parseLine(line: string, cwd = process.cwd()): ParsedLine {
  const image = IMAGE_COMMAND.exec(line);
  if (image) {
    const args = splitPath(image[1] ?? '');
    if (!args) return { usage: IMAGE_USAGE };
    const path = args.path.startsWith('~/') ? resolve(homedir(), args.path.slice(2)) : resolve(cwd, args.path);
    return { text: args.caption, media: 'image', picture: filePicture(path) };
  }
  const m = /^\s*\[([a-z]+)\]\s*([\s\S]*)$/i.exec(line);
  const media = m ? MEDIA_NAMES[m[1]!.toLowerCase()] : undefined;
  return media ? { text: m![2]!.trim(), media } : { text: line };
}

/** The path (in quotes if it has spaces) and the caption after it; null without a path or with an unclosed quote. */
function splitPath(args: string): { path: string; caption: string } | null {
  const a = args.trim();
  const quote = a[0] === '"' || a[0] === "'" ? a[0] : null;
  const end = quote ? a.indexOf(quote, 1) : a.search(/\s|$/);
  if (quote && end < 0) return null;
  const path = quote ? a.slice(1, end) : a.slice(0, end);
  return path ? { path, caption: a.slice(end + (quote ? 1 : 0)).trim() } : null;
}

/**
 * A picture in a file, read when the message is handled: its size first (over the limit: refused
 * without reading it), then at most the limit read. No file there: 'unavailable', saying so.
 */
export function filePicture(path: string): PictureSource {
  return pictureSource({
    async fetch(maxBytes, signal) {
      const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
        throw new PictureProblem('unavailable', e.code === 'ENOENT' ? `no file at ${path}` : `cannot read ${path} (${e.code ?? e.message})`);
      });
      if (!info.isFile()) throw new PictureProblem('unavailable', `${path} is not a file`);
      if (info.size > maxBytes) throw overLimit(info.size, maxBytes);
      const file = await open(path, 'r');
      try {
        // One byte more than the size said: a file that grew since is noticed.
        const buf = Buffer.alloc(info.size + 1);
        let got = 0;
        while (got < buf.length) {
          signal?.throwIfAborted();
          const { bytesRead } = await file.read(buf, got, buf.length - got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        if (got > maxBytes) throw overLimit(got, maxBytes);
        if (got === buf.length) throw new PictureProblem('unavailable', `${path} changed while it was read`);
        return buf.subarray(0, got);
      } finally {
        await file.close();
      }
    },
  });
}

export function formatOutbound(reply: Outbound): string {
  const lines = [reply.text];
  reply.choices?.forEach((c, i) => lines.push(`  ${i + 1}. ${c.label}`));
  return lines.join('\n');
}

export interface TerminalOptions {
  service: ConversationService;
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt. Otherwise lines are read until the input ends. */
  interactive: boolean;
  lang?: string | null;
  userId?: string;
}

/** Runs until the input ends. Each line is one message; each reply is printed followed by a blank line. */
export async function runTerminal(opts: TerminalOptions): Promise<void> {
  const { service, output } = opts;
  const run = randomUUID().slice(0, 8);
  const rl = createInterface({ input: opts.input, terminal: opts.interactive, crlfDelay: Infinity });
  const write = (s: string) => output.write(s);
  let n = 0;
  if (opts.interactive) {
    write('Waspada — ketik pesan lalu Enter. Ctrl+D untuk keluar. / Type a message and press Enter. Ctrl+D to quit.\n');
    write('Lampiran / attachments: [foto] keterangan, [suara], [stiker], [lokasi], [kontak], [video], [dokumen]\n');
    write('Gambar dari berkas / a picture from a file: /gambar BERKAS [keterangan] — /image PATH [caption] ("..." around a path with spaces)\n\n');
    rl.setPrompt('> ');
    // The first message opens the conversation, as when a person opens a chat with the bot.
    const first = await service.handle({ channel: 'terminal', userId: opts.userId ?? 'local', messageId: `${run}-0`, text: '/start', langHint: opts.lang });
    for (const reply of first.replies) write(`${formatOutbound(reply)}\n\n`);
    rl.prompt();
  }
  for await (const line of rl) {
    const parsed = parseLine(line);
    if ('usage' in parsed) {
      write(`${parsed.usage}\n\n`);
      if (opts.interactive) rl.prompt();
      continue;
    }
    n += 1;
    // Why a file could not be read is said here too: the reply speaks of the chat app, not the path.
    let problem: string | undefined;
    const source = parsed.picture;
    if (source) parsed.picture = { ...source, fetch: (max, signal) => source.fetch(max, signal).catch((e: Error) => Promise.reject(((problem = e.message), e))) };
    const handled = await service.handle({ channel: 'terminal', userId: opts.userId ?? 'local', messageId: `${run}-${n}`, ...parsed, langHint: opts.lang });
    for (const reply of handled.replies) write(`${formatOutbound(reply)}\n\n`);
    if (problem) write(`(${problem})\n\n`);
    if (opts.interactive) rl.prompt();
  }
}
