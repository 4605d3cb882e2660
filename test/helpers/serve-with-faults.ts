// `serve` for tests that stop the process at a chosen point: WASPADA_TEST_KILL="claimed:5" kills it
// (SIGKILL, no shutdown) right after the outbox took its 5th message and before sending it;
// "answered:5" right after the platform answered the 5th, before the outcome was recorded. Short
// lease and claim times (WASPADA_TEST_TAKEOVER_MS) let the next process take over quickly.
// "opened:1": right after the first hotline case was opened in Redis, before the turn was saved and
// its replies queued (the family has not been told "saved" yet).
import { loadConfig } from '../../src/config.js';
import { EFFECTS, type EffectHandler } from '../../src/conversation/effects.js';
import { createLogger } from '../../src/log.js';
import { startWaspada } from '../../src/runtime.js';

const [point, nth] = (process.env.WASPADA_TEST_KILL ?? '').split(':');
const takeover = Number(process.env.WASPADA_TEST_TAKEOVER_MS ?? 2000);
let count = 0;
const maybeDie = (at: string) => {
  if (at === point && ++count === Number(nth)) process.kill(process.pid, 'SIGKILL');
};
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL ?? 'silent');
const openCase = EFFECTS.openCase!;
const effects: Record<string, EffectHandler> = {
  ...EFFECTS,
  openCase: { ...openCase, run: async (ctx, args) => {
    const r = await openCase.run(ctx, args);
    maybeDie('opened');
    return r;
  } },
};
const running = await startWaspada(config, {
  log,
  effects,
  host: '127.0.0.1',
  outboxLeaseMs: takeover,
  inboxClaimAfterMs: takeover,
  outboxHooks: { claimed: () => maybeDie('claimed'), answered: () => maybeDie('answered') },
});
process.stdout.write(`ready ${running.port}\n`);
const stop = () => void running.close().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
