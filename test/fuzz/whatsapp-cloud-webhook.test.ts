// The WhatsApp Cloud API webhook on generated posts: Meta's envelope around messages and statuses whose
// every field may be anything (hostile keys such as "constructor" and "__proto__" as message types,
// ids that are not ids, texts that are not texts), and arbitrary JSON with no envelope at all. The
// parser keeps only well-formed messages, in the inbox's own shape; the route, with a valid signature
// over each post, answers 200 or 400 and never 5xx, and the server stays up.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhook } from '../../src/channels/whatsapp-cloud.js';
import { MESSAGE_ID, WA_ID } from '../../src/channels/whatsapp-cloud-render.js';
import { MEDIA_KINDS } from '../../src/engine/types.js';
import { sign } from '../fakes/whatsapp-cloud-api.js';
import { hostileJson, hostileText, httpRequest, jsonStable, jsonText, RUNS, watchRejections } from '../helpers/fuzz.js';
import { startWhatsAppHarness, WA, wamid, type WaHarness } from '../helpers/whatsapp.js';

/** A few people, so that conversations stay few and short while most posts reach them. */
const PEOPLE = ['6281200000001', '6281200000002', '6281200000003'];
const from = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PEOPLE) }, { weight: 1, arbitrary: hostileJson(1) });
const TYPES = ['text', 'interactive', 'button', 'image', 'audio', 'document', 'video', 'sticker', 'location', 'contacts', 'reaction', 'system', 'unsupported', 'order', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];
const part = fc.oneof(
  fc.record({ body: hostileText(5000) }, { requiredKeys: [] }),
  fc.record({ caption: hostileText(2000), mime_type: fc.constantFrom('image/jpeg', 'image/heic', 'text/plain', 'image/png; x=1', ''), id: fc.oneof(fc.constant('1003383421387256'), fc.string()), voice: fc.boolean() }, { requiredKeys: [] }),
  fc.record({
    type: fc.constantFrom('button_reply', 'list_reply'),
    button_reply: fc.record({ id: fc.oneof(fc.constantFrom('1:id', '1:en', '3:agree', '99999999999:x', '0:__proto__'), fc.string()), title: fc.string() }, { requiredKeys: [] }),
    list_reply: fc.record({ id: fc.oneof(fc.constantFrom('2:1', '7:menu'), fc.string()) }, { requiredKeys: [] }),
  }, { requiredKeys: [] }),
  fc.record({ payload: fc.oneof(fc.constantFrom('/menu', '/start', '/x'), fc.string()), text: hostileText(200) }, { requiredKeys: [] }),
  hostileJson(2),
);
const message = fc
  .record({
    from,
    id: fc.oneof({ weight: 4, arbitrary: fc.constant(null).map(() => wamid()) }, { weight: 1, arbitrary: hostileJson(1) }),
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: hostileJson(1) }),
    part,
    group_id: fc.option(fc.string(), { nil: undefined }),
    extra: fc.option(hostileJson(2), { nil: undefined }),
  })
  .map(({ type, part, extra, ...m }) => ({ ...m, timestamp: '1700000000', type, ...(typeof type === 'string' ? { [type]: part } : {}), ...(extra !== undefined ? { extra } : {}) }));
const status = fc.record({
  id: fc.oneof(fc.constant(null).map(() => wamid()), hostileJson(1)),
  status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'constructor'), hostileJson(1)),
  recipient_id: from,
  errors: fc.oneof(fc.constant([{ code: 131026 }]), fc.constant([{ code: 131047 }]), hostileJson(2)),
}, { requiredKeys: ['id'] });
const value = fc.record({
  messaging_product: fc.constant('whatsapp'),
  metadata: fc.oneof({ weight: 5, arbitrary: fc.constant({ display_phone_number: '15550783881', phone_number_id: WA.phoneNumberId }) }, { weight: 1, arbitrary: hostileJson(2) }),
  messages: fc.oneof({ weight: 5, arbitrary: fc.array(message, { maxLength: 3 }) }, { weight: 1, arbitrary: hostileJson(2) }),
  statuses: fc.oneof(fc.array(status, { maxLength: 2 }), hostileJson(1)),
  errors: fc.oneof(fc.array(fc.record({ code: fc.oneof(fc.integer(), hostileJson(0)), title: hostileText(300) }, { requiredKeys: [] }), { maxLength: 2 }), hostileJson(1)),
}, { requiredKeys: ['metadata'] });
const change = fc.oneof({ weight: 6, arbitrary: fc.record({ field: fc.constantFrom('messages', 'statuses', 'account_update'), value }) }, { weight: 1, arbitrary: hostileJson(2) });
const envelope = fc.record({
  object: fc.oneof({ weight: 8, arbitrary: fc.constant('whatsapp_business_account') }, { weight: 1, arbitrary: hostileJson(1) }),
  entry: fc.oneof({ weight: 8, arbitrary: fc.array(fc.record({ id: fc.constant('102290129340398'), changes: fc.oneof(fc.array(change, { maxLength: 3 }), hostileJson(1)) }), { maxLength: 2 }) }, { weight: 1, arbitrary: hostileJson(2) }),
}, { requiredKeys: [] });
/** A post's body as Meta would send it, or any JSON at all. */
const post = fc.oneof({ weight: 6, arbitrary: envelope }, { weight: 1, arbitrary: hostileJson(3) }).map(jsonText);

const MEDIA: readonly (string | undefined)[] = [...MEDIA_KINDS, undefined];
/** What is wrong with what readWebhook made of a post (empty when nothing). */
function problems(c: ReturnType<typeof readWebhook>): string[] {
  const out: string[] = [];
  for (const { id, body } of c.messages) {
    if (!MESSAGE_ID.test(id)) out.push(`message id ${id}`);
    if (body.kind !== 'message' || typeof body.user !== 'string' || !WA_ID.test(body.user)) out.push(`sender ${JSON.stringify(body.user)}`);
    if (!MEDIA.includes(body.media)) out.push(`media ${String(body.media)} is no media kind`);
    if (body.text !== undefined && (typeof body.text !== 'string' || body.text.length > 4096)) out.push('text');
    if (body.choice && (typeof body.choice.id !== 'string' || !Number.isInteger(body.choice.turn))) out.push(`choice ${JSON.stringify(body.choice)}`);
    if (!jsonStable(body)) out.push(`the inbox could not keep ${JSON.stringify(body)} as it is`);
  }
  for (const s of c.statuses) {
    if (!MESSAGE_ID.test(s.id) || typeof s.status !== 'string' || s.status.length > 16 || (s.user !== '' && !WA_ID.test(s.user))) out.push(`status ${JSON.stringify(s)}`);
  }
  return out;
}

describe('the WhatsApp Cloud API webhook parser on 10,000 generated posts', () => {
  it('keeps only well-formed messages and statuses, in the inbox\'s shape, and refuses only what is not a webhook', () => {
    fc.assert(
      fc.property(post, (raw) => {
        const payload = JSON.parse(raw) as unknown;
        let contents: ReturnType<typeof readWebhook>;
        try {
          contents = readWebhook(payload, WA.phoneNumberId);
        } catch (e) {
          // The one refusal it documents: not Meta's envelope.
          expect((e as Error).message).toBe('not a WhatsApp Business Account webhook');
          const p = payload as { object?: unknown; entry?: unknown } | null;
          expect(p !== null && typeof p === 'object' && !Array.isArray(p) && p.object === 'whatsapp_business_account' && Array.isArray(p.entry)).toBe(false);
          return;
        }
        expect(problems(contents)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});

describe('the WhatsApp Cloud API webhook route on 10,000 generated, validly signed posts', () => {
  let h: WaHarness;
  beforeAll(async () => {
    h = await startWhatsAppHarness();
    // Their 24-hour windows open (replies may go to them), as the harness's post() would do for each.
    for (const p of PEOPLE) h.fake.wrote(p);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers each 200 or 400, never 5xx, leaves no unhandled rejection, and stays healthy', async () => {
    const rejections = watchRejections();
    const statuses = new Map<number, number>();
    // Ten posts at a time (as Meta sends them, in parallel): 1,000 runs of 10 are 10,000 posts.
    await fc.assert(
      fc.asyncProperty(fc.array(post, { minLength: 10, maxLength: 10 }), async (raws) => {
        const codes = await Promise.all(raws.map((raw) => httpRequest(h.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, WA.appSecret) }, body: raw })));
        for (const c of codes) statuses.set(c, (statuses.get(c) ?? 0) + 1);
        expect(codes.filter((c) => c !== 200 && c !== 400)).toEqual([]);
      }),
      { numRuns: RUNS / 10 },
    );
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 4);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    expect(rejections.stop()).toEqual([]);
  }, 180_000);
});
