// The staff JSON API (/staff/api, bearer tokens) on 10,000 generated requests to a Waspada running in
// this process on real Redis (its own random prefix, removed after): any method, paths made of its
// routes and of junk (case numbers real, well-formed and not, encoded and malformed segments), query
// strings (known fields, repeated, nested, empty), headers (every role's token, bad ones, none; JSON,
// other and broken content types and charsets) and bodies (near-valid and arbitrary JSON, broken JSON,
// not JSON). Every answer is 2xx, 3xx or 4xx, never 5xx; nothing is left unhandled; the server stays up.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileJson, hostileText, httpRequest, jsonText, RUNS, watchRejections } from '../helpers/fuzz.js';
import { startHarness, type Harness } from '../helpers/telegram.js';

let h: Harness;
const tokens: string[] = [];
const cases: string[] = [];

beforeAll(async () => {
  h = await startHarness({}, { campaigns: false });
  for (const [name, role] of [['ada', 'admin'], ['budi', 'agent'], ['citra', 'campaign']] as const) tokens.push(await h.app.tokens.create(name, role));
  for (let i = 0; i < 3; i++) {
    const reporter = { channel: 'telegram', userId: String(81_000 + i), contact: null };
    const details = { name: 'Siti Aminah', relation: 'kakak', country: 'MY', story: 'tidak ada kabar sejak Maret' };
    cases.push((await h.app.hotline.open({ kind: 'missing', urgent: i === 0, lang: 'id', reporter, consentShare: true, details }, `fuzz-${i}`)).id);
  }
});
afterAll(async () => {
  await h?.close();
});

const junk = hostileText(300);
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null).map(() => cases[0]!) },
  { weight: 2, arbitrary: fc.constantFrom('WSP-7K3M-9Q', 'wsp-7k3m-9q', 'C261201-4D6D62', 'C000000-000000', '1', '..', '.', '%2e%2e', '%00', '%ZZ', '%', 'packet.json', 'a'.repeat(3000)) },
  // (lone surrogates made U+FFFD first: encodeURIComponent refuses them, as any client would)
  { weight: 1, arbitrary: junk.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))) },
);
const ROUTES = [
  '/cases', '/cases/:id', '/cases/:id/claim', '/cases/:id/notes', '/cases/:id/refer', '/cases/:id/stage', '/cases/:id/close', '/cases/:id/audit',
  '/cases/:id/identification', '/cases/:id/packet.json', '/cases/:id/packet.pdf', '/cases/:id/duplicates', '/cases/:id/link', '/cases/:id/safety',
  '/claim', '/audit', '/partners', '/dashboard', '/campaigns', '/campaigns/test', '/campaigns/:id', '/campaigns/:id/pause', '/campaigns/:id/resume',
  '/campaigns/:id/cancel', '/media', '/', '/nothing/here',
];
const path = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), segment).map(([r, id]) => r.replace(':id', id)) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((xs) => `/${xs.join('/')}`) },
);
const FIELDS = ['stage', 'open', 'urgent', 'claimedBy', 'queued', 'limit', 'days', 'x', '__proto__', 'constructor', 'a[b]', 'limit[]'];
const VALUES = ['received', 'closed', 'true', '1', '0', 'false', 'yes', 'budi', '-1', '5', '501', '1e3', 'NaN', '', '%ZZ', '%00'];
const query = fc.oneof(fc.constant(''), fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 10 }))), { maxLength: 4 })
  .map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${encodeURIComponent(k)}=${/^%/.test(v) ? v : encodeURIComponent(v)}`).join('&')}` : '')));
const auth = fc.oneof(
  { weight: 18, arbitrary: fc.nat(2).map((i) => `Bearer ${tokens[i]!}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'bearer wsp_nope', 'Basic YTpi', `Bearer ${'x'.repeat(5000)}`, 'Bearer a b') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}`) },
);
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-7', 'application/json; charset=nope', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'image/png', 'application/merge-patch+json');
/** Bodies close to what the routes take, so that requests reach past the schema; and anything else. */
const nearValid = fc.oneof(
  fc.record({ text: hostileText(9000), family: fc.oneof(fc.boolean(), hostileJson(0)) }, { requiredKeys: ['text'] }),
  fc.record({ partner: fc.oneof(fc.constantFrom('kemlu-pwni', 'bp2mi', 'iom-indonesia', '__proto__'), fc.string()) }),
  fc.record({ stage: fc.oneof(fc.constantFrom('received', 'verified', 'referred', 'assistance', 'returned', 'reintegrated', 'closed', 'constructor'), fc.string()) }),
  fc.record({ outcome: fc.oneof(fc.constantFrom('found', 'returned_home', 'referred_elsewhere', 'no_contact', 'duplicate', 'toString'), fc.string()) }),
  fc.record({ answers: hostileJson(2), other: hostileJson(1) }, { requiredKeys: [] }),
  fc.record({ to: fc.constant(null).map(() => cases[1]!), case: fc.string() }, { requiredKeys: [] }),
  fc.record({ on: fc.oneof(fc.boolean(), hostileJson(0)) }),
  fc.record(
    {
      texts: fc.record({ id: hostileText(500), en: hostileText(500) }, { requiredKeys: [] }),
      segment: fc.record({ lang: fc.constantFrom('id', 'en', 'xx'), topics: fc.array(fc.constantFrom('scam', 'migration', 'x')), channel: fc.constantFrom('telegram', 'whatsapp', 'x') }, { requiredKeys: [] }),
      dryRun: fc.boolean(),
      at: fc.constantFrom('2026-12-01T08:00:00+07:00', 'tomorrow', '1970-01-01T00:00:00Z'),
      media: fc.constantFrom('0'.repeat(64), 'x'),
    },
    { requiredKeys: [] },
  ),
);
const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: nearValid.map(jsonText) },
  { weight: 2, arbitrary: hostileJson(3).map(jsonText) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"text":', 'null', '[]', '"x"', '\u0000', '{"a":1}{"b":2}', `[${'['.repeat(5000)}]`, `{"text":"${'x'.repeat(17_000)}"}`) },
);
const request = fc.record({
  method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('GET', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') }),
  path,
  query,
  auth: fc.option(auth, { nil: undefined, freq: 20 }),
  contentType: fc.option(contentType, { nil: undefined, freq: 5 }),
  body,
  extra: fc.option(fc.constantFrom<[string, string]>(['x-forwarded-for', '1.2.3.4, ::1'], ['accept', 'application/pdf'], ['transfer-encoding', 'chunked'], ['content-encoding', 'gzip'], ['x-http-method-override', 'DELETE']), { nil: undefined }),
});
type Req = typeof request extends fc.Arbitrary<infer R> ? R : never;

async function send(r: Req): Promise<number> {
  const headers: Record<string, string> = {};
  if (r.auth !== undefined) headers.authorization = r.auth;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.extra) headers[r.extra[0]] = r.extra[1];
  const body = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' ? r.body : undefined;
  try {
    return await httpRequest(`${h.app.url}/staff/api${r.path}${r.query}`, { method: r.method, headers, body });
  } catch (e) {
    throw new Error(`no answer to ${r.method} ${r.path}${r.query}: ${(e as Error).message}`);
  }
}

describe('the staff API on 10,000 generated requests', () => {
  it('answers each with 2xx, 3xx or 4xx, never 5xx, leaves nothing unhandled, and stays up', async () => {
    const rejections = watchRejections();
    const statuses = new Map<number, number>();
    // Ten requests at a time (staff work at once): 1,000 runs of 10 are 10,000 requests.
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 10, maxLength: 10 }), async (batch) => {
        const codes = await Promise.all(batch.map(send));
        for (const c of codes) statuses.set(c, (statuses.get(c) ?? 0) + 1);
        expect(codes.filter((c) => c >= 500)).toEqual([]);
      }),
      { numRuns: RUNS / 10 },
    );
    // The requests reached past authentication and the schemas.
    const seen = JSON.stringify([...statuses].sort());
    expect(statuses.get(200) ?? 0, seen).toBeGreaterThan(200);
    expect(statuses.get(400) ?? 0, seen).toBeGreaterThan(1000);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    expect(rejections.stop()).toEqual([]);
  }, 180_000);
});
