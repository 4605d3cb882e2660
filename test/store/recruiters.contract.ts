// What every RecruiterRegistry does: the same cases run against Redis and memory (recruiters.test.ts).
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RecruiterRegistry } from '../../src/store/recruiters.js';
import { contract, type Make } from './contract.js';

const NONE = { warned: 0, reported: 0, people: 0 };
const contact = () => `h-${randomUUID()}`;
let keys = 0;
/** A fresh idempotency key: a call from new work. */
const fresh = () => `k-${++keys}-${randomUUID()}`;

export function recruitersContract(name: string, make: Make<RecruiterRegistry>) {
  contract(`recruiter registry contract: ${name}`, make, (registry) => {
    it('contacts count distinct people who warned about or reported them', async () => {
      const r = registry();
      const [a, b] = [contact(), contact()];
      expect(await r.counts([a, b], 'someone')).toEqual([NONE, NONE]);
      await r.record('warned', [a, b], 'person-1', fresh());
      await r.record('warned', [a], 'person-1', fresh());
      await r.record('warned', [a], 'person-2', fresh());
      await r.record('reported', [b], 'person-3', fresh());
      await r.record('reported', [a], 'person-2', fresh());
      expect(await r.counts([a, b], 'someone')).toEqual([{ warned: 2, reported: 1, people: 2 }, { warned: 1, reported: 1, people: 2 }]);
      // The asking person's own warnings and reports are not counted back to them.
      expect(await r.counts([a, b], 'person-1')).toEqual([{ warned: 1, reported: 1, people: 1 }, { warned: 0, reported: 1, people: 1 }]);
      expect(await r.counts([a, b], 'person-3')).toEqual([{ warned: 2, reported: 1, people: 2 }, { warned: 1, reported: 0, people: 1 }]);
      expect(await r.counts([], 'someone')).toEqual([]);
    });

    it('work repeated under the same idempotency key is recorded once, whoever it names', async () => {
      const r = registry();
      const a = contact();
      const key = fresh();
      await r.record('warned', [a], 'person-1', key);
      await r.record('warned', [a], 'person-1', key);
      await r.record('warned', [a], 'person-2', key);
      expect(await r.counts([a], 'someone')).toEqual([{ warned: 1, reported: 0, people: 1 }]);
      // The key belongs to one kind of mark: a report under it is other work.
      await r.record('reported', [a], 'person-2', key);
      expect(await r.counts([a], 'someone')).toEqual([{ warned: 1, reported: 1, people: 2 }]);
    });

    it('a repeat records the contacts the first attempt did not reach, and only those', async () => {
      const r = registry();
      const [a, b] = [contact(), contact()];
      const key = fresh();
      await r.record('reported', [a], 'person-1', key);
      await r.record('reported', [a, b], 'person-2', key);
      expect(await r.counts([a, b], 'someone')).toEqual([
        { warned: 0, reported: 1, people: 1 },
        { warned: 0, reported: 1, people: 1 },
      ]);
    });

    it('recording no contacts changes nothing', async () => {
      const r = registry();
      await r.record('warned', [], 'person-1', fresh());
      expect(await r.counts([contact()], 'someone')).toEqual([NONE]);
    });
  });
}
