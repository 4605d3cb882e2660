import { describe, expect, it } from 'vitest';
import { classifySendError, MAX_MESSAGE, messageId, messageToBody, renderWweb, type WwebMessage } from '../../src/channels/whatsapp-web-message.js';
import { whatsappWeb } from '../../src/channels/whatsapp-web.js';
import { ConfigError, loadConfig, requireServeConfig } from '../../src/config.js';

const msg = (extra: Partial<WwebMessage>): WwebMessage => ({ id: { id: '3EB0C767D097B7CE8E5C', fromMe: false }, from: '6281234567890@c.us', body: 'halo', type: 'chat', fromMe: false, ...extra });

describe('whatsapp-web messages in', () => {
  it('a text from a private chat keeps only the chat and the text (cut to 4096)', () => {
    expect(messageToBody(msg({}))).toEqual({ kind: 'message', chat: '6281234567890@c.us', text: 'halo' });
    expect(messageToBody(msg({ from: '123456789012345@lid' }))).toMatchObject({ chat: '123456789012345@lid' });
    expect(messageToBody(msg({ body: 'x'.repeat(5000) }))!.text).toHaveLength(MAX_MESSAGE);
  });

  it('groups, status updates, broadcast lists, channels, its own messages and WhatsApp notices are not taken', () => {
    expect(messageToBody(msg({ from: '120363012345678901@g.us' }))).toBeNull();
    expect(messageToBody(msg({ from: 'status@broadcast' }))).toBeNull();
    expect(messageToBody(msg({ isStatus: true }))).toBeNull();
    expect(messageToBody(msg({ broadcast: true }))).toBeNull();
    expect(messageToBody(msg({ from: '1234567890@broadcast' }))).toBeNull();
    expect(messageToBody(msg({ from: '120363999999999999@newsletter' }))).toBeNull();
    expect(messageToBody(msg({ fromMe: true }))).toBeNull();
    expect(messageToBody(msg({ id: { id: 'ABCD1234', fromMe: true } }))).toBeNull();
    for (const type of ['revoked', 'e2e_notification', 'notification_template', 'call_log', 'ciphertext', 'protocol']) expect(messageToBody(msg({ type }))).toBeNull();
    expect(messageToBody(null as unknown as WwebMessage)).toBeNull();
    expect(messageToBody(msg({ from: undefined }))).toBeNull();
  });

  it('media become the port\'s kinds; captions are text, a location\'s or card\'s body is not', () => {
    const kinds: [string, string][] = [
      ['image', 'photo'], ['video', 'video'], ['audio', 'audio'], ['ptt', 'voice'], ['sticker', 'sticker'],
      ['document', 'document'], ['location', 'location'], ['vcard', 'contact'], ['multi_vcard', 'contact'], ['poll_creation', 'other'],
    ];
    for (const [type, media] of kinds) expect(messageToBody(msg({ type, body: '' }))).toEqual({ kind: 'message', chat: '6281234567890@c.us', media });
    expect(messageToBody(msg({ type: 'image', body: 'is this job real?' }))).toMatchObject({ media: 'photo', text: 'is this job real?' });
    expect(messageToBody(msg({ type: 'document', body: '', _data: { mimetype: 'image/jpeg' } }))).toMatchObject({ media: 'image' });
    expect(messageToBody(msg({ type: 'location', body: '/9j/4AAQSkZJRg...' }))).not.toHaveProperty('text');
    expect(messageToBody(msg({ type: 'vcard', body: 'BEGIN:VCARD\nTEL:+62811' }))).not.toHaveProperty('text');
  });

  it('the inbox id is WhatsApp\'s own message id, when it looks like one', () => {
    expect(messageId(msg({}))).toBe('3EB0C767D097B7CE8E5C');
    expect(messageId(msg({ id: { id: '../../etc' } }))).toBeNull();
    expect(messageId(msg({ id: undefined }))).toBeNull();
  });
});

describe('whatsapp-web messages out', () => {
  it('choices are numbered lines after a blank line', () => {
    const out = renderWweb({ text: 'Menu', choices: [{ id: 'a', label: 'Check an offer' }, { id: 'b', label: 'Guide' }], turn: 3 });
    expect(out).toEqual([{ text: 'Menu\n\n1. Check an offer\n2. Guide' }]);
    expect(renderWweb({ text: '' })).toEqual([{ text: ' ' }]);
  });

  it('long text is split at paragraph boundaries into pieces of at most 4096 characters, the menu with the last', () => {
    const para = 'kata '.repeat(700).trim();
    const out = renderWweb({ text: [para, para, para].join('\n\n'), choices: [{ id: 'a', label: 'OK' }] });
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) expect(m.text.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(out.at(-1)!.text.endsWith('\n\n1. OK')).toBe(true);
    expect(out.map((m) => m.text).join('\n\n')).toBe(`${[para, para, para].join('\n\n')}\n\n1. OK`);
  });

  it('a number not on WhatsApp is gone; a crashed page is transient', () => {
    expect(classifySendError(new Error('Evaluation failed: Error: wid error: invalid wid'))).toMatchObject({ ok: false, kind: 'gone' });
    expect(classifySendError(new Error('No LID for user'))).toMatchObject({ kind: 'gone' });
    expect(classifySendError(new Error('Protocol error (Runtime.callFunctionOn): Session closed.'))).toMatchObject({ kind: 'transient' });
    expect(classifySendError('weird')).toMatchObject({ kind: 'transient', reason: 'weird' });
  });
});

describe('whatsapp-web settings', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379/0', HASH_SECRET: 'x'.repeat(16), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };

  it('conservative defaults; the outbox limits follow them', () => {
    const c = loadConfig({ WHATSAPP_WEB_ENABLED: 'true' });
    expect(c).toMatchObject({
      WHATSAPP_WEB_ENABLED: true, PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium', WHATSAPP_WEB_AUTH: 'local', WHATSAPP_WEB_DATA_DIR: './data/whatsapp-web',
      WHATSAPP_WEB_RATE_PER_MINUTE: 12, WHATSAPP_WEB_SECONDS_PER_CHAT: 3, WHATSAPP_WEB_JITTER_MS: 1500,
    });
  });

  it('WHATSAPP_WEB_ENABLED=true asks for the channel, false does not; a wrong value or a missing Chromium is named', () => {
    expect(requireServeConfig(loadConfig({ ...base, WHATSAPP_WEB_ENABLED: 'true', PUPPETEER_EXECUTABLE_PATH: '/bin/sh' })).map((m) => m.name)).toEqual(['whatsapp-web']);
    expect(() => requireServeConfig(loadConfig({ ...base, WHATSAPP_WEB_ENABLED: 'false' }))).toThrow(/CHANNELS: no channel to serve/);
    expect(() => loadConfig({ WHATSAPP_WEB_ENABLED: 'maybe' })).toThrow(/WHATSAPP_WEB_ENABLED must be true or false/);
    expect(() => loadConfig({ WHATSAPP_WEB_AUTH: 'cloud' })).toThrow(/WHATSAPP_WEB_AUTH must be local/);
    expect(() => requireServeConfig(loadConfig({ ...base, WHATSAPP_WEB_ENABLED: '1', PUPPETEER_EXECUTABLE_PATH: '/nope/chromium' }))).toThrow(ConfigError);
    expect(whatsappWeb.missing(loadConfig({ PUPPETEER_EXECUTABLE_PATH: '/nope/chromium' }) as never)[0]).toMatch(/PUPPETEER_EXECUTABLE_PATH: \/nope\/chromium does not exist/);
  });
});
