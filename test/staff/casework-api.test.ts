// The staff API's identification interview, referral packets and duplicate reports over real HTTP: a
// whole Waspada process (real Redis, the fake Telegram Bot API, the shipped data files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/content/index.js';
import type { CaseDetails } from '../../src/hotline/types.js';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

let h: Harness;
const tokens: Record<'admin' | 'agent' | 'campaign', string> = { admin: '', agent: '', campaign: '' };
let chat = 83_000;

async function report(details: CaseDetails, consentShare = true): Promise<{ id: string; user: number }> {
  const user = ++chat;
  const opened = await h.app.hotline.open({ kind: 'missing', urgent: false, lang: 'id', reporter: { channel: 'telegram', userId: String(user), contact: '+62 812 0000 1111' }, consentShare, details }, `cw-${user}`);
  return { id: opened.id, user };
}

/** One request as `who` (an agent unless said); `body` sent as JSON. */
async function call(method: string, path: string, body?: unknown, who: keyof typeof tokens = 'agent'): Promise<{ status: number; json: any; type: string; bytes: Buffer }> {
  const res = await fetch(`${h.app.url}/staff/api${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, bytes, json: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null };
}

const auditOf = async (id: string) => (await call('GET', `/cases/${id}/audit`, undefined, 'admin')).json.entries as { by: string; action: string; detail?: string }[];

beforeAll(async () => {
  h = await startHarness();
  tokens.admin = await h.app.tokens.create('ada', 'admin');
  tokens.agent = await h.app.tokens.create('budi', 'agent');
  tokens.campaign = await h.app.tokens.create('citra', 'campaign');
});
afterAll(async () => {
  await h.close();
});

describe('the identification interview through the API', () => {
  it('shows the checklist, every answer unknown, before the first fill; campaign staff get 403, an unknown case 404', async () => {
    const { id } = await report({ name: 'Wati', country: 'MY' });
    const r = await call('GET', `/cases/${id}/identification?lang=en`);
    expect(r.status).toBe(200);
    expect(r.json.identification).toBeNull();
    expect(r.json.view.filled).toBe(false);
    const items = r.json.view.groups.flatMap((g: { items: { answer: string }[] }) => g.items);
    expect(items.length).toBeGreaterThanOrEqual(8);
    expect(items.every((i: { answer: string }) => i.answer === 'unknown')).toBe(true);
    expect(r.json.suggestion.suggested).toMatchObject({ partner: 'kbri_kuala_lumpur', reason: 'embassy_in_country' });
    expect((await call('GET', `/cases/${id}/identification`, undefined, 'campaign')).status).toBe(403);
    expect((await call('PUT', `/cases/${id}/identification`, { answers: {} }, 'campaign')).status).toBe(403);
    expect((await call('GET', '/cases/WSP-0000-00/identification')).status).toBe(404);
    expect((await call('GET', '/cases/nonsense/identification')).json).toMatchObject({ field: 'id' });
    expect((await call('GET', `/cases/${id}/identification?lang=fr`)).status).toBe(400);
  });

  it('refuses bad answers with a 400 naming the field', async () => {
    const { id } = await report({ name: 'Wati', country: 'MY' });
    const bad = async (body: unknown) => {
      const r = await call('PUT', `/cases/${id}/identification`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      return r.json.field as string;
    };
    expect(await bad({ answers: { no_such_indicator: 'yes' } })).toBe('answers.no_such_indicator');
    expect(await bad({ answers: { passport_held_by_someone_else: 'maybe' } })).toBe('answers.passport_held_by_someone_else');
    expect(await bad({})).toBe('answers');
    expect(await bad({ answers: {}, colour: 'red' })).toBe('colour');
    expect(await bad({ answers: {}, passportHeldBy: 'the cat' })).toBe('passportHeldBy');
    expect(await bad({ answers: {}, homeRegion: 'Nusa Tenggara' })).toBe('homeRegion');
    expect(await bad({ answers: {}, homeRegion: 'QQ' })).toBe('homeRegion');
    expect(await bad({ answers: {}, need: 'money' })).toBe('need');
    expect(await bad({ answers: {}, passport: '12' })).toBe('passport');
    // Nothing was stored.
    expect((await call('GET', `/cases/${id}/identification`)).json.identification).toBeNull();
  });

  it('a fill marks the indicated case with the indicators named, suggests the referral, and is audited', async () => {
    const { id } = await report({ name: 'Wati', country: 'ID' });
    const r = await call('PUT', `/cases/${id}/identification`, { answers: { passport_held_by_someone_else: 'yes', wages_withheld: 'yes', cannot_leave_workplace: 'no' }, passportHeldBy: 'employer', homeRegion: 'NT', need: null });
    expect(r.status).toBe(200);
    expect(r.json.identification).toMatchObject({ indicated: true, indicators: ['passport_held_by_someone_else', 'wages_withheld'], passportHeldBy: 'employer', homeRegion: 'NT', by: 'budi' });
    expect(r.json.identification.answers.cannot_leave_workplace).toBe('no');
    expect(r.json.identification.answers.movements_watched).toBe('unknown');
    // An indicated victim at home: social affairs first; KP2MI's office in their province among the options.
    expect(r.json.suggestion.suggested.kind).toBe('social_affairs');
    expect(r.json.suggestion.options.map((o: { partner: string }) => o.partner)).toContain('bp3mi_ntt');
    const view = (await call('GET', `/cases/${id}/identification`)).json.view;
    expect(view).toMatchObject({ filled: true, indicated: true });
    expect(view.named.map((x: { id: string }) => x.id)).toEqual(['passport_held_by_someone_else', 'wages_withheld']);
    const audit = await auditOf(id);
    expect(audit.filter((e) => e.action === 'identify').map((e) => `${e.by}:${e.detail}`)).toEqual(['budi:indicated']);
    expect(audit.some((e) => e.by === 'budi' && e.action === 'read' && e.detail === 'identification')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('employer');
  });
});

describe('referral packets through the API', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'referral-packet.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ strict: true });
  ajv.addKeyword('version');
  const validate = ajv.compile(schema);

  it('exports JSON that follows the schema and a PDF with the case number; each export audited with its format, never its content', async () => {
    const { id } = await report({ name: 'Siti Aminah', country: 'KH', city: 'Sihanoukville', employer: 'PT Cahaya', recruiterContact: '0812 7777 6666', story: 'dia menangis di telepon' });
    await call('PUT', `/cases/${id}/identification`, { answers: { passport_held_by_someone_else: 'yes' }, passportHeldBy: 'recruiter' });
    const json = await call('GET', `/cases/${id}/packet.json`);
    expect(json.status).toBe(200);
    expect(validate(json.json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.json).toMatchObject({ case: id, person: { name: 'Siti Aminah' }, passport: { heldBy: 'recruiter' }, destination: { partner: 'kbri_phnom_penh', confirmed: false } });
    expect(JSON.stringify(json.json)).not.toContain('menangis');
    expect(JSON.stringify(json.json)).not.toContain('0000 1111');

    const pdf = await call('GET', `/cases/${id}/packet.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.bytes.toString('latin1')).toContain(id);

    // Staff confirm another destination through the refer path: the packet names it, confirmed.
    expect((await call('POST', `/cases/${id}/refer`, { partner: 'iom_indonesia' })).status).toBe(200);
    expect((await call('GET', `/cases/${id}/packet.json`)).json.destination).toMatchObject({ partner: 'iom_indonesia', confirmed: true });

    const exports = (await auditOf(id)).filter((e) => e.action === 'export');
    expect(exports.map((e) => `${e.by}:${e.detail}`)).toEqual(['budi:json', 'budi:pdf', 'budi:json']);
    expect(JSON.stringify(exports)).not.toContain('Siti');
  });

  it('without the reporter\'s consent there is no packet (409), and campaign staff get 403', async () => {
    const { id } = await report({ name: 'Rahma', country: 'MY' }, false);
    expect((await call('GET', `/cases/${id}/packet.json`)).status).toBe(409);
    expect((await call('GET', `/cases/${id}/packet.pdf`)).status).toBe(409);
    expect((await call('GET', `/cases/${id}/packet.json`, undefined, 'campaign')).status).toBe(403);
    // Nothing left, so nothing is recorded as exported.
    expect((await auditOf(id)).filter((e) => e.action === 'export')).toEqual([]);
    expect((await call('GET', '/cases/WSP-0000-00/packet.pdf')).status).toBe(404);
  });
});

describe('duplicate reports through the API', () => {
  it('offers the other report of the same person, links them, and a family-visible note then reaches both families in their own chats', async () => {
    const a = await report({ name: 'Nurhayati Wulandari', country: 'TW' });
    const b = await report({ name: 'Nurhayaty Wulandary', country: 'TW' });
    const dup = await call('GET', `/cases/${a.id}/duplicates`);
    expect(dup.status).toBe(200);
    expect(dup.json.duplicates).toEqual([expect.objectContaining({ id: b.id, reasons: ['name'], linked: false, stage: 'received' })]);

    expect((await call('POST', `/cases/${a.id}/link`, { other: a.id })).json.field).toBe('other');
    expect((await call('POST', `/cases/${a.id}/link`, { other: 'hello' })).json.field).toBe('other');
    expect((await call('POST', `/cases/${a.id}/link`, { other: 'WSP-0000-00' })).status).toBe(404);
    expect((await call('POST', `/cases/${a.id}/link`, {})).json.field).toBe('other');
    expect((await call('POST', `/cases/${a.id}/link`, { other: b.id }, 'campaign')).status).toBe(403);
    const linked = await call('POST', `/cases/${a.id}/link`, { other: b.id.toLowerCase() });
    expect(linked.status).toBe(200);
    expect(linked.json.linked).toEqual([b.id]);
    expect((await call('GET', `/cases/${b.id}/duplicates`)).json).toMatchObject({ linked: [a.id], duplicates: [{ id: a.id, linked: true }] });

    expect((await call('POST', `/cases/${a.id}/notes`, { text: 'KBRI Taipei sudah menemukan alamatnya.', family: true })).status).toBe(200);
    const [toA] = await h.until(a.user, 1);
    const [toB] = await h.until(b.user, 1);
    expect(toA).toContain('KBRI Taipei sudah menemukan alamatnya.');
    expect(toA).toContain(a.id);
    expect(toB).toContain('KBRI Taipei sudah menemukan alamatnya.');
    expect(toB).toContain(b.id);
    expect(toB).not.toContain(a.id);

    for (const id of [a.id, b.id]) {
      const audit = await auditOf(id);
      expect(audit.some((e) => e.by === 'budi' && e.action === 'link')).toBe(true);
    }
    expect((await auditOf(a.id)).some((e) => e.action === 'read' && e.detail === 'duplicates')).toBe(true);

    // Linked by mistake: taken out again, the other family no longer hears what this one is told.
    expect((await call('POST', `/cases/${b.id}/unlink`, undefined, 'campaign')).status).toBe(403);
    expect((await call('POST', '/cases/WSP-0000-00/unlink')).status).toBe(404);
    expect((await call('POST', `/cases/${b.id}/unlink`)).json).toEqual({ case: b.id, unlinkedFrom: [a.id] });
    expect((await call('GET', `/cases/${a.id}/duplicates`)).json.linked).toEqual([]);
    const before = h.fake.sent(b.user).length;
    expect((await call('POST', `/cases/${a.id}/notes`, { text: 'Kabar kedua untuk keluarga A.', family: true })).status).toBe(200);
    await h.fake.waitFor(() => h.texts(a.user).some((x) => x.includes('Kabar kedua untuk keluarga A.')), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sent(b.user).length).toBe(before);
    for (const id of [a.id, b.id]) expect((await auditOf(id)).some((e) => e.by === 'budi' && e.action === 'unlink')).toBe(true);
  });
});

describe('safety mode set by staff on a case', () => {
  it('nothing reaches the reporter unasked from then on, their next message is handled in safety mode, and it is audited; only the person switches it off', async () => {
    const { id, user } = await report({ name: 'Yanti', country: 'MY' });
    await h.post(textUpdate(user, '/start'));
    await h.until(user, 1);
    expect((await call('POST', `/cases/${id}/safety`, { on: 'yes' })).json).toMatchObject({ field: 'on' });
    expect((await call('POST', '/cases/WSP-0000-00/safety', { on: true })).status).toBe(404);
    expect((await call('POST', `/cases/${id}/safety`, { on: true }, 'campaign')).status).toBe(403);
    const on = await call('POST', `/cases/${id}/safety`, { on: true });
    expect(on.json).toEqual({ case: id, safety: true });
    // A note shared with the family is not sent (withheld by the outbox)...
    const before = h.fake.sent(user).length;
    expect((await call('POST', `/cases/${id}/notes`, { text: 'Kami sedang menghubungi KBRI.', family: true }, 'admin')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.sent(user).length).toBe(before);
    // The case's history says it was not sent, and why.
    const history = (await call('GET', `/cases/${id}`, undefined, 'admin')).json.events as { type: string; detail?: Record<string, unknown> }[];
    expect(history.filter((e) => e.type === 'shown').at(-1)?.detail).toMatchObject({ not_sent: 'withheld' });
    // ...and when they write, the answer is quiet: silent, protected, in neutral words.
    await h.post(textUpdate(user, 'menu'));
    await h.until(user, before + 1);
    expect(h.fake.sent(user).at(-1)).toMatchObject({ disable_notification: true, protect_content: true });
    expect((await auditOf(id)).some((e) => e.action === 'safety' && e.by === 'budi' && e.detail === 'on')).toBe(true);
    expect((await call('POST', `/cases/${id}/safety`, { on: false })).status).toBe(409);
    // The person switches it off in the chat: messages reach them again.
    await h.post(textUpdate(user, 'mode aman'));
    await h.until(user, before + 2);
    await h.post(textUpdate(user, '2'));
    await h.until(user, before + 3);
    expect((await call('POST', `/cases/${id}/notes`, { text: 'Kabar baru.', family: true }, 'admin')).status).toBe(200);
    await h.fake.waitFor(() => h.texts(user).some((x) => x.includes('Kabar baru.')), 10_000);
    expect(h.fake.sent(user).at(-1)?.protect_content).toBeUndefined();
  });
});
