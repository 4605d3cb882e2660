// Safety mode end to end: the Telegram webhook, the real service and outbox on Redis, and the fake Bot
// API. Someone whose phone another person may read: nothing is sent to them unasked, what is sent is
// silent and protected, and the exit word deletes the conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRecipients } from '../../src/outbox/recipients.js';
import { keyspace } from '../../src/store/keys.js';
import { loadContent } from '../../src/content/index.js';
import { plainRedis } from '../helpers/redis.js';
import { startHarness, textUpdate, type Harness } from '../helpers/telegram.js';

const content = await loadContent();
const t = (key: string) => content.texts.t('id', key);
const admin = { name: 'ani', role: 'admin' as const };
let h: Harness;
let recipients: RedisRecipients;
const redis = plainRedis();
let chat = 7_300_000;

beforeAll(async () => {
  h = await startHarness();
  recipients = new RedisRecipients(redis, keyspace(h.prefix));
});
afterAll(async () => {
  await h.close();
  redis.disconnect();
});

/** Sends a text and waits until the chat has received `n` more messages (or none, with n = 0). */
async function say(user: number, text: string, n = 1): Promise<{ texts: string[]; update: ReturnType<typeof textUpdate> }> {
  const before = h.fake.sent(user).length;
  const update = textUpdate(user, text);
  // The person's messages numbered apart from the bot's (Telegram numbers both in one sequence per chat).
  update.message.message_id += 5_000_000;
  expect((await h.post(update)).status).toBe(200);
  if (n > 0) await h.until(user, before + n);
  return { texts: h.texts(user).slice(before), update };
}

async function safetyOn(user: number): Promise<number[]> {
  const ids: number[] = [];
  for (const text of ['/start', '1']) ids.push((await say(user, text)).update.message.message_id);
  const asked = await say(user, 'mode aman');
  expect(asked.texts[0]).toContain(t('safety.explain'));
  const on = await say(user, '1');
  expect(on.texts.join('\n')).toContain(content.texts.t('id', 'safe.safety.on'));
  ids.push(asked.update.message.message_id, on.update.message.message_id);
  return ids;
}

describe('safety mode', () => {
  it('is switched on from the chat: later messages are silent, not forwardable, short and neutral', async () => {
    const user = ++chat;
    await safetyOn(user);
    expect(await recipients.inSafety('telegram', String(user))).toBe(true);
    const menu = await say(user, 'menu');
    const last = h.fake.sent(user).at(-1);
    expect(last).toMatchObject({ disable_notification: true, protect_content: true });
    expect(menu.texts[0]).toContain(content.texts.t('id', 'safe.main.title'));
    expect(menu.texts[0]).not.toContain(t('main.title'));
  });

  it('nothing reaches a person in safety mode unasked: a family-visible note on their case is withheld, another family gets theirs', async () => {
    const quiet = ++chat;
    const loud = ++chat;
    await safetyOn(quiet);
    await say(loud, '/start');
    const open = (user: number) =>
      h.app.hotline.open({ kind: 'missing', urgent: false, lang: 'id', consentShare: true, reporter: { channel: 'telegram', userId: String(user), contact: null }, details: { name: 'Rina', country: 'MY' } }, `safety-${user}`);
    const [a, b] = [await open(quiet), await open(loud)];
    const quietBefore = h.fake.sent(quiet).length;
    await h.app.hotline.note(admin, a.id, 'Kami sudah menghubungi KBRI.', true);
    await h.app.hotline.note(admin, b.id, 'Kami sudah menghubungi KBRI.', true);
    await h.fake.waitFor(() => h.texts(loud).some((x) => x.includes('Kami sudah menghubungi KBRI.')), 10_000);
    // The loud family's message went through the same outbox after the quiet one's was withheld.
    expect(h.fake.sent(quiet).length).toBe(quietBefore);
    expect(await h.app.outbox.deliver({ channel: 'telegram', user: String(quiet) }, [{ lang: 'id', reply: { say: [{ key: 'main.title' }] } }], { priority: 'bulk' })).toBe('withheld');
    // Asked for, it is answered (a reply is never withheld).
    const asked = await say(quiet, 'menu');
    expect(asked.texts).toHaveLength(1);
  });

  it('the exit word deletes the conversation since safety mode began (the bot’s messages and the person’s), sends nothing, and starts afresh', async () => {
    const user = ++chat;
    const before = h.fake.sent(user).length;
    const ids: number[] = [];
    const stop = h.fake.onSend(user, (body, message) => {
      if (body.protect_content === true) ids.push(message.message_id);
    });
    const mine = await safetyOn(user);
    const third = await say(user, 'menu');
    // One message Telegram will not delete (too old, say): the others are deleted all the same.
    h.fake.undeletable(user, third.update.message.message_id);
    const exit = await say(user, 'x', 0);
    await h.fake.waitFor(() => h.fake.deleted(user).length > 0, 10_000);
    // What was dealt with is forgotten (all of it, once the exit word's work is done).
    await expect.poll(() => redis.zcard(keyspace(h.prefix).outbox('telegram').trail(String(user)))).toBe(0);
    const deleted = h.fake.deleted(user);
    // What Waspada sent since safety mode came on (its answer to "1" and to "menu"), and what the person
    // wrote from then on ("1", "menu", "x"). (The fake numbers the person's messages apart from the bot's.)
    stop();
    expect(ids.length).toBe(2);
    for (const id of ids) expect(deleted).toContain(id);
    const written = [mine[3]!, exit.update.message.message_id];
    for (const id of written) expect(deleted).toContain(id);
    // Nothing from before safety mode came on ("/start", "1", "mode aman" and the answers to them stay).
    expect(new Set(deleted).size).toBe(new Set([...ids, ...written]).size);
    expect(deleted).not.toContain(third.update.message.message_id);
    // Newest first: the exit word itself goes before the rest.
    expect(deleted[0]).toBe(exit.update.message.message_id);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sent(user).length).toBe(before + 5);
    // The next message starts at the menu, still in safety mode.
    const next = await say(user, 'halo');
    expect(next.texts[0]).toContain(content.texts.t('id', 'safe.main.title'));
  });

  it('a plea that leads to safety mode ("is it safe to write?" "no") is deleted by the exit word too, with the emergency screen', async () => {
    const user = ++chat;
    await say(user, '/start');
    await say(user, '1');
    const ids: number[] = [];
    const stop = h.fake.onSend(user, (_body, message) => ids.push(message.message_id));
    const plea = await say(user, 'tolong');
    expect(plea.texts[0]).toContain(t('emergency.intro'));
    const skip = await say(user, 'lewati');
    const report = await say(user, '3');
    expect(report.texts.join('\n')).toContain(t('emergency.safe.ask'));
    const no = await say(user, 'tidak');
    expect(await recipients.inSafety('telegram', String(user))).toBe(true);
    const exit = await say(user, 'x', 0);
    await expect.poll(() => h.fake.deleted(user).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(ids.length + 5);
    stop();
    const deleted = h.fake.deleted(user);
    for (const id of [...ids, ...[plea, skip, report, no, exit].map((x) => x.update.message.message_id)]) expect(deleted).toContain(id);
    // What came before the plea stays (the welcome, the menu).
    expect(deleted).toHaveLength(ids.length + 5);
  });

  it('outside safety mode "x" is only what was typed, and switching it off lets messages through again', async () => {
    const user = ++chat;
    await say(user, '/start');
    await say(user, '1');
    const x = await say(user, 'x');
    expect(x.texts[0]).not.toContain(t('engine.exit.manual'));
    expect(h.fake.deleted(user)).toEqual([]);
    await safetyOn(user);
    await say(user, 'mode aman');
    const off = await say(user, '2');
    expect(off.texts[0]).toContain(t('safety.off'));
    expect(await recipients.inSafety('telegram', String(user))).toBe(false);
    expect(await redis.exists(keyspace(h.prefix).outbox('telegram').trail(String(user)))).toBe(0);
    expect(h.fake.sent(user).at(-1)?.protect_content).toBeUndefined();
  });
});
