// What the logs keep of a whole conversation: a Waspada on real Redis, over its Telegram webhook and the
// local fake Bot API, logging at the most detailed level into memory as pino writes it (one JSON object
// a line). A person reports a missing relative (a name, a phone number, a story), checks a job offer
// with a recruiter's number, reports that recruiter, and asks to delete their data; staff work the case.
// No log line holds what they wrote, the name, a phone number, the story or their chat id in clear:
// people are named in logs by keyed hashes only (src/log.ts, userRef).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

/** A chat id that no timestamp or counter is likely to contain by chance. */
const CHAT = 739_146_285;
const NAME = 'Rina Wulandari';
const SAFE_PHONE = '+62 812-5550-1234';
const RECRUITER = '0812 9999 8888';
const STORY = 'Paspornya ditahan majikan di Sihanoukville dan dia tidak bisa dihubungi sejak Agustus.';
const OFFER_PHONE = '0813-7717-2299';
const OFFER =
  'LOWONGAN KERJA KAMBOJA! Admin online, gaji 15-20 juta per bulan, tidak perlu pengalaman, tiket dan visa ditanggung perusahaan. ' +
  `Berangkat minggu depan lewat Bangkok, cukup paspor. Biaya proses 5 juta. Hubungi WA ${OFFER_PHONE} sekarang, kuota terbatas!`;

const lines: string[] = [];
let h: Harness;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // As src/log.ts builds the server's logger, at the most detailed level, into memory.
  const log = pino({ level: 'trace', base: { app: 'waspada' } }, sink);
  h = await startHarness({}, { log, campaigns: false });
});
afterAll(async () => {
  await h?.close();
});

const said: string[] = [];
/** Sends a text as the person and waits for Waspada's next message. */
async function say(text: string): Promise<string> {
  said.push(text);
  const before = h.fake.sent(CHAT).length;
  expect((await h.post(textUpdate(CHAT, text))).status).toBe(200);
  const all = await h.until(CHAT, before + 1);
  // Replies to one message can come as several: let them all arrive.
  await new Promise((r) => setTimeout(r, 150));
  return h.texts(CHAT).slice(before).join('\n---\n') || all.slice(before).join('\n');
}

/** A photo the fake Bot API never issued (its download fails: "picture not read" is logged), with a caption. */
function photoUpdate(caption: string) {
  const u = textUpdate(CHAT, caption) as { message: Record<string, unknown> };
  delete u.message.text;
  return { ...u, message: { ...u.message, caption, photo: [{ file_id: 'AgACAgQAAxkBAAIBnever-issued', file_unique_id: 'AQADnever', width: 800, height: 600, file_size: 90_000 }] } };
}

describe('a whole conversation leaves nothing personal in the logs', () => {
  it('a report of a missing relative, an offer and its recruiter reported, staff work, failed sends and a deletion: no log line holds what was written, the name, a phone number, the story or the chat id', async () => {
    // Sends that fail on the way (each logged, naming the chat): a 500, then a 429.
    h.fake.failNext('sendMessage', 1, { code: 500 });
    h.fake.failNext('sendMessage', 1, { code: 429, retryAfter: 1 });
    await say('/start');
    await say('1'); // agree to the privacy notice
    await say('menu');
    expect(await say('4')).toContain('nama lengkap');
    for (const answer of [NAME, '24', 'kakak', 'Kamboja', 'Sihanoukville', 'PT Cahaya Samudra Mandiri', RECRUITER, '3 minggu lalu', STORY, 'ya', SAFE_PHONE, 'ya']) await say(answer);
    const saved = await say('1'); // send
    const id = /WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/.exec(saved)?.[0];
    expect(id, saved).toBeDefined();

    // Staff read and work the case; one refused API request (refusals are logged, bodies never).
    const admin = { name: 'ani', role: 'admin' as const };
    await h.app.hotline.claim(admin, id);
    await h.app.hotline.note(admin, id!, `Keluarga ${NAME} dihubungi di ${SAFE_PHONE}`, true);
    await h.app.hotline.show(admin, id!);
    const token = await h.app.tokens.create('ani', 'admin');
    const refused = await fetch(`${h.app.url}/staff/api/cases/${id}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `${NAME} ${SAFE_PHONE}`, [STORY.slice(0, 20)]: 1 }),
    });
    expect(refused.status).toBe(400);

    // A job offer with a recruiter's number, pasted at the menu; then its recruiter reported with that number.
    await say('menu');
    expect(await say(OFFER)).toContain('LOWONGAN KERJA KAMBOJA');
    await say('2'); // report the recruiter
    await say('ya');
    await say(OFFER_PHONE);
    expect(await say('Lewati')).toMatch(/WSP-[A-Z0-9]{4}-[A-Z0-9]{2}/);

    // A picture of an offer that cannot be fetched, with the number in its caption; safety mode on and off.
    said.push('(photo)');
    expect((await h.post(photoUpdate(`Lowongan kerja Kamboja gaji 20 juta hubungi ${OFFER_PHONE}`))).status).toBe(200);
    await h.until(CHAT, h.fake.sent(CHAT).length + 1);
    await say('menu');
    await say('mode aman');
    await say('1'); // on
    await say('mode aman');
    await say('2'); // off

    // Delete my data, confirmed; then the person blocks the bot and writes once more (the reply is refused: "gone").
    await say('hapus data');
    await say('1');
    h.fake.blockChat(CHAT);
    said.push('halo lagi dari saya');
    expect((await h.post(textUpdate(CHAT, 'halo lagi dari saya'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));

    // The incidents were logged (so there is something to look at), each naming the chat by a keyed hash.
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    const msgs = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    for (const m of ['send failed; will retry', 'platform asked to slow down', 'staff api request refused', 'picture not read', 'safety mode changed', 'recipient gone; marked unreachable']) expect(msgs, m).toContain(m);
    const all = lines.join('\n');
    const digits = (x: string) => x.replace(/\D/g, '');
    const clear = [
      ...said.filter((t) => t.length >= 6 && !['/start', 'hapus data', 'mode aman', 'Lewati', 'Kamboja', '(photo)'].includes(t)),
      NAME, 'Wulandari', 'Sihanoukville', 'Paspornya', 'Cahaya Samudra', 'Keluarga',
      digits(SAFE_PHONE), digits(SAFE_PHONE).slice(2), '812-5550', '5550-1234',
      digits(RECRUITER), digits(RECRUITER).slice(1), '9999 8888',
      digits(OFFER_PHONE), digits(OFFER_PHONE).slice(1), '7717-2299', 'LOWONGAN', 'Lowongan', 'Bangkok',
      String(CHAT), `telegram:${CHAT}`,
    ];
    const leaks = clear.filter((c) => all.includes(c)).map((c) => `${c} in: ${lines.find((l) => l.includes(c))}`);
    expect(leaks).toEqual([]);
  }, 60_000);
});
