// Floor for the webhook bench: the least work a webhook bot can do per update with the same I/O as the
// peers: node:http, JSON parse, secret check, a session GET + SET in Redis, one sendMessage over a
// keep-alive agent. No framework, no flow. What is left above this is the cost of framework and flow.
// The same as floor.mjs of the project's independent side-by-side harness; only typed here.
// Env: API_ROOT (the fake Bot API), PORT, SECRET, REDIS_URL, PREFIX.
import http from 'node:http';
import { Redis as IORedis } from 'ioredis';

const port = Number(process.env.PORT || 3103);
const secret = process.env.SECRET || 'bench-secret';
const prefix = process.env.PREFIX || 'floor:';
const api = new URL((process.env.API_ROOT || 'http://127.0.0.1:1') + '/bot123:bench/sendMessage');
const redis = new IORedis(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const send = (chat_id: number, text: string) =>
  new Promise<void>((resolve) => {
    const body = JSON.stringify({ chat_id, text });
    const req = http.request(
      { agent, host: api.hostname, port: api.port, path: api.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => resolve());
    req.end(body);
  });

http
  .createServer((req, res) => {
    if (req.headers['x-telegram-bot-api-secret-token'] !== secret) {
      res.statusCode = 401;
      return res.end();
    }
    let data = '';
    req.on('data', (c: Buffer) => (data += c));
    req.on('end', async () => {
      let u: { message?: { chat?: { id?: number } } };
      try {
        u = JSON.parse(data);
      } catch {
        res.statusCode = 400;
        return res.end();
      }
      const chat = u.message?.chat?.id;
      if (!chat) return res.end();
      const key = prefix + chat;
      const s = JSON.parse((await redis.get(key)) || '{"step":0}') as { step: number };
      s.step = (s.step + 1) % 5;
      await redis.set(key, JSON.stringify(s));
      await send(chat, 'step ' + s.step);
      res.end();
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`floor listening ${port}`));
