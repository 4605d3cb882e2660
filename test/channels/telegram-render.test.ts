import { describe, expect, it } from 'vitest';
import { escapeHtml, MAX_MESSAGE, renderTelegram, sameSecret, splitText, updateToBody } from '../../src/channels/telegram.js';
import type { Update } from 'telegraf/types';

const from = { id: 42, is_bot: false, first_name: 'Siti', language_code: 'id' };
const chat = { id: 42, type: 'private' as const, first_name: 'Siti' };

describe('telegram updates', () => {
  it('a text message becomes text with the user’s language as hint', () => {
    const u = { update_id: 1, message: { message_id: 5, date: 0, chat, from, text: 'halo' } } as Update;
    // With the message's id in its chat (safety mode deletes it on the exit word).
    expect(updateToBody(u)).toEqual({ kind: 'message', chat: 42, user: '42', text: 'halo', lang: 'id', mid: 5 });
  });

  it('a forwarded message is text; a photo keeps its kind and its caption as text; a sticker is a sticker', () => {
    const fwd = { update_id: 2, message: { message_id: 6, date: 0, chat, from, text: 'Loker Kamboja gaji 15jt', forward_origin: { type: 'hidden_user', sender_user_name: 'X', date: 0 } } } as unknown as Update;
    expect(updateToBody(fwd)?.text).toBe('Loker Kamboja gaji 15jt');
    const photo = { update_id: 3, message: { message_id: 7, date: 0, chat, from, photo: [], caption: 'lowongan admin' } } as unknown as Update;
    expect(updateToBody(photo)).toMatchObject({ text: 'lowongan admin', media: 'photo' });
    const sticker = { update_id: 4, message: { message_id: 8, date: 0, chat, from, sticker: {} } } as unknown as Update;
    expect(updateToBody(sticker)).toEqual({ kind: 'message', chat: 42, user: '42', media: 'sticker', lang: 'id', mid: 8 });
    const pdf = { update_id: 4, message: { message_id: 8, date: 0, chat, from, document: { file_id: 'x', mime_type: 'application/pdf' } } } as unknown as Update;
    expect(updateToBody(pdf)?.media).toBe('document');
    const scan = { update_id: 4, message: { message_id: 8, date: 0, chat, from, document: { file_id: 'x', mime_type: 'image/jpeg' } } } as unknown as Update;
    expect(updateToBody(scan)?.media).toBe('image');
    for (const [field, kind] of [['voice', 'voice'], ['location', 'location'], ['contact', 'contact'], ['video', 'video'], ['video_note', 'video'], ['audio', 'audio'], ['dice', 'other']] as const) {
      const u = { update_id: 4, message: { message_id: 8, date: 0, chat, from, [field]: {} } } as unknown as Update;
      expect(updateToBody(u)?.media).toBe(kind);
    }
  });

  it('a button press carries the choice and the turn it was shown at; foreign data is a stale button', () => {
    const q = (data: string) => ({ update_id: 5, callback_query: { id: 'cb1', from, chat_instance: 'x', data, message: { message_id: 9, date: 0, chat } } }) as unknown as Update;
    expect(updateToBody(q('7:guide'))).toEqual({ kind: 'callback', chat: 42, user: '42', choice: { id: 'guide', turn: 7 }, callback: 'cb1', lang: 'id' });
    expect(updateToBody(q('<script>'))!.choice).toEqual({ id: '', turn: -1 });
  });

  it('group messages, bots and unknown update kinds are ignored; blocking is recorded', () => {
    const group = { update_id: 6, message: { message_id: 1, date: 0, chat: { id: -5, type: 'group', title: 'g' }, from, text: 'hi' } } as unknown as Update;
    expect(updateToBody(group)).toBeNull();
    const bot = { update_id: 7, message: { message_id: 1, date: 0, chat, from: { ...from, is_bot: true }, text: 'hi' } } as unknown as Update;
    expect(updateToBody(bot)).toBeNull();
    expect(updateToBody({ update_id: 8, edited_message: {} } as unknown as Update)).toBeNull();
    const kicked = { update_id: 9, my_chat_member: { chat, from, date: 0, old_chat_member: { status: 'member' }, new_chat_member: { status: 'kicked' } } } as unknown as Update;
    expect(updateToBody(kicked)).toEqual({ kind: 'blocked', chat: 42, user: '42' });
  });
});

describe('telegram rendering', () => {
  it('escapes HTML so that user text and labels can never break the markup', () => {
    const [m] = renderTelegram({ text: 'Gaji <b>15jt</b> & "bonus"' });
    expect(m).toMatchObject({ text: 'Gaji &lt;b&gt;15jt&lt;/b&gt; &amp; "bonus"', parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });

  it('choices become one inline button per row whose data carries the turn', () => {
    const [m] = renderTelegram({ text: 'Menu', turn: 12, choices: [{ id: 'check', label: 'Cek tawaran' }, { id: 'guide', label: 'Panduan & info' }] });
    expect(m!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Cek tawaran', callback_data: '12:check' }], [{ text: 'Panduan & info', callback_data: '12:guide' }]] });
  });

  it('a long text is split at paragraph boundaries, each piece within 4096 characters, buttons on the last', () => {
    const para = (i: number) => `Paragraf ${i}: ` + 'kata '.repeat(150).trim();
    const text = Array.from({ length: 12 }, (_, i) => para(i)).join('\n\n');
    const msgs = renderTelegram({ text, turn: 1, choices: [{ id: 'back', label: 'Kembali' }] });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(msgs.slice(0, -1).every((m) => !m.reply_markup)).toBe(true);
    expect(msgs.at(-1)!.reply_markup).toBeDefined();
    expect(msgs.map((m) => m.text).join('\n\n')).toBe(text);
    for (const m of msgs) expect(m.text.startsWith('Paragraf')).toBe(true);
  });

  it('counts escaped length: a text full of & that fits raw is still split to fit escaped', () => {
    const text = '&'.repeat(3000);
    const pieces = splitText(text);
    expect(pieces.length).toBe(4);
    for (const p of pieces) expect(escapeHtml(p).length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(pieces.join('')).toBe(text);
  });

  it('never cuts an emoji in half', () => {
    const text = '🆘'.repeat(3000);
    const pieces = splitText(text);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(p.isWellFormed()).toBe(true);
  });
});

describe('webhook secret', () => {
  it('accepts only the exact secret', () => {
    expect(sameSecret('s3cret-s3cret-s3cret', 's3cret-s3cret-s3cret')).toBe(true);
    expect(sameSecret('s3cret-s3cret-s3creT', 's3cret-s3cret-s3cret')).toBe(false);
    expect(sameSecret('', 's3cret-s3cret-s3cret')).toBe(false);
    expect(sameSecret(undefined, 's3cret-s3cret-s3cret')).toBe(false);
    // Longer, shorter, or the secret with more after it; and multi-byte text of the same length in characters.
    expect(sameSecret('s3cret-s3cret-s3cret-', 's3cret-s3cret-s3cret')).toBe(false);
    expect(sameSecret('s3cret-s3cret-s3cre', 's3cret-s3cret-s3cret')).toBe(false);
    expect(sameSecret('s3cret-s3cret-s3creé', 's3cret-s3cret-s3cret')).toBe(false);
    expect(sameSecret('sécret-sécret-sécret', 'sécret-sécret-sécret')).toBe(true);
  });
});

describe('telegram updates that are not what they claim', () => {
  const msg = (m: Record<string, unknown>) => ({ update_id: 10, message: { message_id: 1, date: 0, chat, from, ...m } }) as unknown as Update;
  it('a chat or user id that is not a Telegram id is not acted on (no "@channel", no huge numbers)', () => {
    expect(updateToBody(msg({ chat: { id: '@somechannel', type: 'private' } }))).toBeNull();
    expect(updateToBody(msg({ chat: { id: Number('1'.repeat(30)), type: 'private' } }))).toBeNull();
    expect(updateToBody(msg({ chat: { id: 2 ** 53 + 2, type: 'private' }, from: { ...from, id: 2 ** 53 + 2 } }))).toBeNull();
    expect(updateToBody(msg({ chat: { id: 43, type: 'private' } }))).toBeNull();
    expect(updateToBody(msg({ chat: { id: -1, type: 'private' }, from: { ...from, id: -1 } }))).toBeNull();
  });

  it('a text or language code of the wrong type does not drop the message: it is answered as an unknown kind', () => {
    expect(updateToBody(msg({ text: { a: 1 } }))).toEqual({ kind: 'message', chat: 42, user: '42', media: 'other', lang: 'id', mid: 1 });
    expect(updateToBody(msg({ text: 'halo', from: { ...from, language_code: 7 } }))).toEqual({ kind: 'message', chat: 42, user: '42', text: 'halo', mid: 1 });
    // A message id that is no id is left out (the message is still answered).
    expect(updateToBody(msg({ text: 'halo', message_id: 'x' }))).toEqual({ kind: 'message', chat: 42, user: '42', text: 'halo', lang: 'id' });
    expect(updateToBody(msg({ text: '['.repeat(10) }))?.text).toBe('['.repeat(10));
  });

  it('keeps at most Telegram\'s own text limit', () => {
    expect(updateToBody(msg({ text: 'x'.repeat(10_000) }))?.text).toHaveLength(4096);
  });

  it('a button press from someone else\'s chat, or with a broken sender, is not acted on', () => {
    const q = (extra: Record<string, unknown>) => ({ update_id: 11, callback_query: { id: 'cb', from, chat_instance: 'x', data: '1:a', message: { message_id: 1, date: 0, chat }, ...extra } }) as unknown as Update;
    expect(updateToBody(q({ message: { message_id: 1, date: 0, chat: { id: 99, type: 'private' } } }))).toBeNull();
    expect(updateToBody(q({ from: { ...from, id: 'x' } }))).toBeNull();
    expect(updateToBody(q({ id: 'x'.repeat(500) }))).toBeNull();
    expect(updateToBody(q({ data: '9'.repeat(200) }))?.choice).toEqual({ id: '', turn: -1 });
  });
});
