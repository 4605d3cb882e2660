// WhatsApp Cloud API webhook posts shaped as Meta's documented examples ("Webhooks > messages"), and a
// harness: the server on real Redis with the WhatsApp channel, replies landing on the fake Graph API.
import { readTemplates } from '../../src/channels/whatsapp-cloud-render.js';
import { loadConfig } from '../../src/config.js';
import { startWaspada, type Running, type StartOptions } from '../../src/runtime.js';
import { startFakeGraph, signedPost, type ApprovedTemplate, type FakeGraph, type FakeGraphOptions } from '../fakes/whatsapp-cloud-api.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from './redis.js';

export const WA = {
  token: 'EAAGwaspadaE2eAccessToken0123456789',
  phoneNumberId: '106540352242922',
  appSecret: 'e2eAppSecret0123456789abcdef0123',
  verifyToken: 'e2e-verify-token-0123456789',
};

let seq = 0;
export const wamid = () => `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA${Date.now().toString(36)}${++seq}`;

/** A `messages` field change for a phone number, wrapped as Meta posts it. */
function envelope(value: Record<string, unknown>, phoneNumberId = WA.phoneNumberId) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** Messages as `entry[0].changes[0].value.messages`, wrapped as Meta posts them. */
export function webhook(messages: Record<string, unknown>[], phoneNumberId = WA.phoneNumberId) {
  const from = String(messages[0]?.from ?? '6281200000000');
  return envelope({ contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: from }], messages }, phoneNumberId);
}

const base = (from: string, type: string, id = wamid()) => ({ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type });

export const msg = {
  text: (from: string, body: string, id?: string) => ({ ...base(from, 'text', id), text: { body } }),
  button: (from: string, replyId: string, title = 'Pilihan') => ({
    ...base(from, 'interactive'),
    context: { from: '15550783881', id: wamid() },
    interactive: { type: 'button_reply', button_reply: { id: replyId, title } },
  }),
  list: (from: string, replyId: string, title = 'Pilihan') => ({
    ...base(from, 'interactive'),
    context: { from: '15550783881', id: wamid() },
    interactive: { type: 'list_reply', list_reply: { id: replyId, title, description: '' } },
  }),
  templateButton: (from: string, payload: string, text: string) => ({ ...base(from, 'button'), context: { from: '15550783881', id: wamid() }, button: { payload, text } }),
  image: (from: string, caption?: string) => ({
    ...base(from, 'image'),
    image: { ...(caption ? { caption } : {}), mime_type: 'image/jpeg', sha256: 'HxDyQ1vNKzO6kl8Ux0fLHgtyi+5wUMHKnjhFxi4LzVU=', id: '1003383421387256' },
  }),
  voice: (from: string) => ({ ...base(from, 'audio'), audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'xA1c', id: '1003383421387257', voice: true } }),
  sticker: (from: string) => ({ ...base(from, 'sticker'), sticker: { mime_type: 'image/webp', sha256: 'xA1d', id: '1003383421387258', animated: false } }),
  location: (from: string) => ({ ...base(from, 'location'), location: { latitude: 3.139, longitude: 101.6869, name: 'Kuala Lumpur', address: 'KL' } }),
  contacts: (from: string) => ({ ...base(from, 'contacts'), contacts: [{ name: { formatted_name: 'Agen', first_name: 'Agen' }, phones: [{ phone: '+60 12-345 6789', type: 'CELL' }] }] }),
  reaction: (from: string) => ({ ...base(from, 'reaction'), reaction: { message_id: wamid(), emoji: '👍' } }),
  unsupported: (from: string) => ({
    ...base(from, 'unsupported'),
    errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
  }),
};

export function statusPost(id: string, to: string, status: string, error?: Record<string, unknown>) {
  return envelope({ statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to, ...(error ? { errors: [error] } : {}) }] });
}

/** Every template of data/whatsapp-templates.yaml, as approved in WhatsApp Manager (name, language, header, body). */
export function approvedTemplates(): ApprovedTemplate[] {
  return Object.values(readTemplates()).map((t) => ({ name: t.name, language: t.language, body: t.body, ...(t.header ? { header: t.header } : {}) }));
}

export interface WaHarness {
  fake: FakeGraph;
  app: Running;
  prefix: string;
  url: string;
  /** Posts a webhook signed with the app secret (Meta's way); `from` wrote now (their window opens). */
  post(payload: unknown): Promise<Response>;
  /** What the person was sent: the text they see, in order. */
  texts(to: string): string[];
  until(to: string, n: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startWhatsAppHarness(
  env: Record<string, string> = {},
  opts: StartOptions = {},
  fakeOpts: Pick<FakeGraphOptions, 'statuses' | 'pairSeconds' | 'pairBurst' | 'perSecond' | 'templates'> = {},
): Promise<WaHarness> {
  // The fake approves the templates data/whatsapp-templates.yaml names, as WhatsApp Manager would have.
  const fake = await startFakeGraph({ token: WA.token, phoneNumberId: WA.phoneNumberId, templates: approvedTemplates(), appSecret: WA.appSecret, ...fakeOpts });
  const prefix = testPrefix('wa');
  const config = loadConfig({
    REDIS_URL,
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'e2e-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: DATA_KEY,
    WHATSAPP_ACCESS_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_CLOUD_API_ROOT: fake.apiRoot,
    PORT: '0',
    ...env,
  });
  const app = await startWaspada(config, { host: '127.0.0.1', ...opts });
  const url = `${app.url}/webhooks/whatsapp`;
  fake.opts.webhookUrl = url;
  const texts = (to: string) => fake.sent(to).map((s) => s.text);
  return {
    fake,
    app,
    prefix,
    url,
    post(payload) {
      if (typeof payload === 'object' && payload) {
        const entry = (payload as { entry?: unknown }).entry;
        const value = Array.isArray(entry) ? (entry[0] as { changes?: { value?: { messages?: unknown } }[] } | undefined)?.changes?.[0]?.value : undefined;
        for (const m of Array.isArray(value?.messages) ? value.messages : []) fake.wrote(String((m as { from?: unknown })?.from));
      }
      return signedPost(url, WA.appSecret, payload);
    },
    texts,
    async until(to, n, timeoutMs = 10_000) {
      await fake.waitFor(() => fake.sent(to).length >= n, timeoutMs);
      return texts(to);
    },
    async close() {
      await app.close();
      await fake.close();
      const r = plainRedis();
      await dropPrefix(r, prefix);
      r.disconnect();
    },
  };
}
