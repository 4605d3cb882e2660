// What every benchmark gives a Waspada server process: the same bot token, webhook secret and keys,
// a Redis prefix of its own, the fake Bot API, a free port, info logs (the benches read the port there),
// and the Node options of the Docker image.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, HERE.includes(join('dist', 'bench')) ? '../..' : '..');

/** The Docker image's NODE_OPTIONS, read from the Dockerfile (the one place they are set). */
export const DOCKER_NODE_OPTIONS: string[] = (/NODE_OPTIONS="([^"]*)"/.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '')
  .split(' ')
  .filter(Boolean);
export const TOKEN = '123456789:AAF-waspada-bench-token-0123456789';
export const SECRET = 'bench-secret-0123456789abcdef';

export function waspadaEnv(redisUrl: string, prefix: string, apiRoot: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'bench-hash-secret-0123456789',
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: apiRoot,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}
