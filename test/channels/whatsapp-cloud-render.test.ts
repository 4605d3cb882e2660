import { describe, expect, it } from 'vitest';
import { classifyCloud, readWebhook } from '../../src/channels/whatsapp-cloud.js';
import { messageToBody, renderCloud, splitPlain } from '../../src/channels/whatsapp-cloud-render.js';
import { msg, webhook, WA } from '../helpers/whatsapp.js';

const choices = (labels: string[]) => labels.map((label, i) => ({ id: `c${i}`, label }));
const chars = (s: string) => [...s].length;

describe('replies as WhatsApp Cloud API messages', () => {
  it('up to three short choices are reply buttons carrying the turn and the choice', () => {
    const [m] = renderCloud({ text: 'Pilih bahasa', choices: choices(['Bahasa Indonesia', 'English']), turn: 4 });
    expect(m).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Pilih bahasa' },
        action: { buttons: [{ type: 'reply', reply: { id: '4:c0', title: 'Bahasa Indonesia' } }, { type: 'reply', reply: { id: '4:c1', title: 'English' } }] },
      },
    });
  });

  it('four choices, or a label over 20 characters, make a list; a label over 24 characters is cut in the title and whole in the description', () => {
    const long = 'Tanda-tanda perdagangan orang';
    const [m] = renderCloud({ text: 'Menu', choices: choices(['A', 'B', long]), turn: 1, pick: 'Pilih' });
    expect(m!.type).toBe('interactive');
    const list = (m as { interactive: { type: string; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } } }).interactive;
    expect(list.type).toBe('list');
    expect(list.action.button).toBe('Pilih');
    const row = list.action.sections[0]!.rows[2]!;
    expect(chars(row.title)).toBeLessThanOrEqual(24);
    expect(row.title.endsWith('…')).toBe(true);
    expect(row.description).toBe(long);
    expect(renderCloud({ text: 'Menu', choices: choices(['A', 'B', 'C', 'D']) })[0]).toMatchObject({ interactive: { type: 'list' } });
  });

  it('more than ten choices, or a label over 72 characters, fall back to numbered lines under the text', () => {
    const many = renderCloud({ text: 'Negara?', choices: choices(Array.from({ length: 11 }, (_, i) => `Negara ${i + 1}`)) });
    expect(many).toHaveLength(1);
    expect(many[0]).toMatchObject({ type: 'text' });
    const body = (many[0] as { text: { body: string } }).text.body;
    expect(body).toContain('1. Negara 1');
    expect(body).toContain('11. Negara 11');
    expect(renderCloud({ text: 'x', choices: choices(['y'.repeat(73)]) })[0]).toMatchObject({ type: 'text' });
  });

  it('a long text with choices: earlier parts as text, the last part (within 1024) with the buttons; nothing lost', () => {
    const para = (i: number) => `Paragraf ${i}: ${'kata '.repeat(60).trim()}.`;
    const text = Array.from({ length: 8 }, (_, i) => para(i)).join('\n\n');
    const out = renderCloud({ text, choices: choices(['Ya', 'Tidak']) });
    expect(out.length).toBeGreaterThan(1);
    const last = out.at(-1) as { type: string; interactive: { body: { text: string } } };
    expect(last.type).toBe('interactive');
    expect(chars(last.interactive.body.text)).toBeLessThanOrEqual(1024);
    const all = out.map((m) => (m.type === 'text' ? m.text.body : m.interactive.body.text)).join('\n\n');
    expect(all.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    for (const m of out.slice(0, -1)) expect(chars((m as { text: { body: string } }).text.body)).toBeLessThanOrEqual(4096);
  });

  it('a text over 4096 characters is split at paragraph, line or word boundaries, never inside a character', () => {
    const emoji = '🆘'.repeat(5000);
    const parts = splitPlain(emoji, 4096);
    expect(parts.map(chars)).toEqual([4096, 904]);
    expect(parts.join('')).toBe(emoji);
    const words = splitPlain('kata '.repeat(1000).trim(), 4096);
    expect(words.every((p) => !p.startsWith(' ') && !p.endsWith(' ') && chars(p) <= 4096)).toBe(true);
  });
});

describe('webhook messages as what the inbox keeps', () => {
  const u = '6281234567890';
  it('keeps the text, the kind of attachment, a caption and a pressed button; never the profile name', () => {
    expect(messageToBody(msg.text(u, 'halo'))).toEqual({ kind: 'message', user: u, text: 'halo' });
    expect(messageToBody(msg.image(u, 'Lowongan kerja'))).toEqual({ kind: 'message', user: u, media: 'photo', text: 'Lowongan kerja' });
    expect(messageToBody(msg.voice(u))).toEqual({ kind: 'message', user: u, media: 'voice' });
    expect(messageToBody(msg.button(u, '7:agree'))).toEqual({ kind: 'message', user: u, choice: { id: 'agree', turn: 7 } });
    expect(messageToBody(msg.list(u, 'not-ours'))).toEqual({ kind: 'message', user: u, choice: { id: '', turn: -1 } });
    expect(messageToBody(msg.templateButton(u, '/menu', 'Buka'))).toEqual({ kind: 'message', user: u, text: '/menu' });
    expect(messageToBody(msg.unsupported(u))).toEqual({ kind: 'message', user: u, media: 'other' });
    expect(messageToBody(msg.reaction(u))).toBeNull();
    expect(JSON.stringify(readWebhook(webhook([msg.text(u, 'halo')]), WA.phoneNumberId))).not.toContain('Sheena');
  });

  it('a sender that is not a WhatsApp id, a group message, and a text of the wrong type are handled safely', () => {
    expect(messageToBody({ ...msg.text(u, 'x'), from: '62812; DROP' })).toBeNull();
    expect(messageToBody({ ...msg.text(u, 'x'), group_id: '120363' })).toBeNull();
    expect(messageToBody({ ...msg.text(u, 'x'), text: { body: { nested: 1 } } })).toEqual({ kind: 'message', user: u, media: 'other' });
    expect(messageToBody({ ...msg.text(u, 'y'.repeat(10_000)) })!.text).toHaveLength(4096);
  });

  it('reads only the messages field for this number, and survives any shape inside a signed post', () => {
    const mixed = webhook([msg.text(u, 'a'), { nonsense: true }, msg.text(u, 'b')]);
    expect(readWebhook(mixed, WA.phoneNumberId).messages.map((m) => m.body.text)).toEqual(['a', 'b']);
    expect(readWebhook(mixed, '1').messages).toEqual([]);
    for (const weird of [{ object: 'whatsapp_business_account', entry: [null, 1, 'x', { changes: [null, { field: 'messages', value: [] }] }] }]) {
      expect(readWebhook(weird, WA.phoneNumberId)).toEqual({ messages: [], statuses: [], errors: [] });
    }
    expect(() => readWebhook({ object: 'page' }, WA.phoneNumberId)).toThrow();
    expect(() => readWebhook([], WA.phoneNumberId)).toThrow();
  });
});

describe("Meta's answers for the outbox", () => {
  const e = (code: number) => ({ error: { code, message: `(#${code})` } });
  it('rate limits are waited out, an unreachable person is gone, a refused token waits, a bad message is dropped', () => {
    expect(classifyCloud(200, null)).toEqual({ ok: true });
    expect(classifyCloud(400, e(131056))).toMatchObject({ ok: false, kind: 'retry', afterMs: 6000 });
    expect(classifyCloud(400, e(130429))).toMatchObject({ kind: 'retry', afterMs: 1000 });
    expect(classifyCloud(400, e(80007))).toMatchObject({ kind: 'retry' });
    expect(classifyCloud(400, e(131026))).toMatchObject({ kind: 'gone' });
    expect(classifyCloud(401, e(190), 2000)).toMatchObject({ kind: 'retry', afterMs: 2000, code: 190 });
    expect(classifyCloud(400, e(131047))).toMatchObject({ kind: 'permanent', code: 131047 });
    expect(classifyCloud(400, e(100))).toMatchObject({ kind: 'permanent' });
    expect(classifyCloud(500, null)).toMatchObject({ kind: 'transient' });
    expect(classifyCloud(502, { error: 'x' } as never)).toMatchObject({ kind: 'transient' });
  });
});

describe('data/whatsapp-templates.yaml', () => {
  it('names the waiting template with its language, category and a body without variables (none are sent)', async () => {
    const { loadTemplates, WAITING_TEMPLATE } = await import('../../src/channels/whatsapp-cloud.js');
    const templates = await loadTemplates();
    const t = templates[WAITING_TEMPLATE]!;
    expect(t).toMatchObject({ name: 'waspada_message_waiting', language: 'id', category: 'UTILITY' });
    expect(t.body).not.toMatch(/\{\{/);
    expect(t.buttons?.[0]?.payload).toBe('/menu');
  });
});
