import { defineConfig } from 'vitest/config';

/**
 * Tests that measure the platform's limits or kill processes mid-send: their figures depend on the
 * machine not being busy with other tests (a sender held up by a loaded CPU bunches its messages), so
 * they run after the rest, one file at a time.
 */
// (test/outbox/slow-answer.e2e.test.ts mostly waits 31 s for one answer and measures no rate: it runs
// with the rest.)
const ALONE = ['test/outbox/limits.e2e.test.ts', 'test/outbox/crash.e2e.test.ts', 'test/broadcast/worker-kill.e2e.test.ts', 'test/ops/redis-cluster.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      // Three files at a time even on two cores (vitest's default is cores − 1: one): most of these wait
      // on processes, Redis and timers more than they use a core (with two at a time a whole run used
      // 1.1 cores on average; four at a time made two timing-bound tests fail).
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 3, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
