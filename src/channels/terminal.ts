// Terminal channel: a person chats in the terminal; scripts pipe lines in and read replies out.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Outbound } from '../content/render.js';
import type { ConversationService, MediaKind } from '../conversation/service.js';

/**
 * The terminal cannot attach files, so a line can stand for one: "[foto] caption", "[suara]",
 * "[stiker]", "[lokasi]" (English names too). Anything else is text.
 */
const MEDIA_NAMES: Record<string, MediaKind> = {
  foto: 'photo', photo: 'photo', gambar: 'image', image: 'image', dokumen: 'document', document: 'document', file: 'document',
  suara: 'voice', voice: 'voice', vn: 'voice', audio: 'audio', video: 'video', stiker: 'sticker', sticker: 'sticker',
  lokasi: 'location', location: 'location', kontak: 'contact', contact: 'contact',
};

export function parseLine(line: string): { text: string; media?: MediaKind } {
  const m = /^\s*\[([a-z]+)\]\s*([\s\S]*)$/i.exec(line);
  const media = m ? MEDIA_NAMES[m[1]!.toLowerCase()] : undefined;
  return media ? { text: m![2]!.trim(), media } : { text: line };
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
    write('Lampiran / attachments: [foto] keterangan, [suara], [stiker], [lokasi], [kontak], [video], [dokumen]\n\n');
    rl.setPrompt('> ');
    // The first message opens the conversation, as when a person opens a chat with the bot.
    const first = await service.handle({ channel: 'terminal', userId: opts.userId ?? 'local', messageId: `${run}-0`, text: '/start', langHint: opts.lang });
    for (const reply of first.replies) write(`${formatOutbound(reply)}\n\n`);
    rl.prompt();
  }
  for await (const line of rl) {
    n += 1;
    const handled = await service.handle({ channel: 'terminal', userId: opts.userId ?? 'local', messageId: `${run}-${n}`, ...parseLine(line), langHint: opts.lang });
    for (const reply of handled.replies) write(`${formatOutbound(reply)}\n\n`);
    if (opts.interactive) rl.prompt();
  }
}
