// The fake Bot API in a process of its own, for benchmarks that measure rates: in the load
// generator's process its clock would read late under load and see messages bunched together.
// Options come from FAKE_* variables; every sendMessage answer is reported on stdout as one JSON line
// { chat, status, at, text } (at: ms since the epoch); the first line is { apiRoot }.
import { startFakeTelegram } from '../test/fakes/telegram-api.js';

const fake = await startFakeTelegram({
  token: process.env.FAKE_TOKEN,
  globalPerSecond: process.env.FAKE_GLOBAL ? Number(process.env.FAKE_GLOBAL) : undefined,
  perChatPerSecond: process.env.FAKE_PER_CHAT ? Number(process.env.FAKE_PER_CHAT) : undefined,
  strict: process.env.FAKE_STRICT === '1',
});
process.stdout.write(`${JSON.stringify({ apiRoot: fake.apiRoot })}\n`);
let seen = 0;
setInterval(() => {
  const calls = fake.calls;
  let out = '';
  for (; seen < calls.length; seen++) {
    const c = calls[seen]!;
    if (c.method === 'sendMessage') out += `${JSON.stringify({ chat: String(c.body.chat_id), status: c.status, at: c.at, text: String(c.body.text ?? '') })}\n`;
  }
  if (out) process.stdout.write(out);
}, 20);
// FAKE_STALLS=1: the fake's own event loop stalls (a 5 ms tick late by more than 10 ms), as lines
// { stall: ms, at }: requests that waited behind one are handled together and look bunched.
if (process.env.FAKE_STALLS === '1') {
  let prev = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - prev - 5 > 10) process.stdout.write(`${JSON.stringify({ stall: Math.round(now - prev - 5), at: Date.now() })}\n`);
    prev = now;
  }, 5);
}
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
