// One behaviour, two stores: the same cases run against Redis and memory.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { newSession } from '../../src/engine/types.js';
import type { Store } from '../../src/store/store.js';

export function storeContract(name: string, make: () => Promise<{ store: Store; cleanup: () => Promise<void> }>) {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void> = async () => undefined;
    let user: string;
    beforeEach(async () => {
      await cleanup();
      ({ store, cleanup } = await make());
      user = `terminal:${randomUUID()}`;
    });
    afterAll(async () => {
      await cleanup();
    });

    it('a first message finds no session and is not seen', async () => {
      expect(await store.begin(user, 'm1', 't1', 5000)).toEqual({ token: 't1', session: null, seen: false });
    });

    it('commit saves the session, marks the message seen and frees the lock', async () => {
      const s = newSession(1);
      s.lang = 'en';
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.commit(user, 't1', 'm1', s)).toBe(true);
      const again = await store.begin(user, 'm1', 't2', 5000);
      expect(again).toEqual({ token: 't2', session: s, seen: true });
    });

    it('a second claim on the same user waits until the first is committed or released', async () => {
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.begin(user, 'm2', 't2', 5000)).toBeNull();
      await store.release(user, 't1');
      expect(await store.begin(user, 'm2', 't2', 5000)).not.toBeNull();
    });

    it('other users are not blocked by one user’s lock', async () => {
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.begin(`${user}-other`, 'm1', 't2', 5000)).not.toBeNull();
    });

    it('a commit with a token that no longer holds the lock changes nothing', async () => {
      await store.begin(user, 'm1', 't1', 5000);
      await store.release(user, 't1');
      await store.begin(user, 'm2', 't2', 5000);
      expect(await store.commit(user, 't1', 'm1', newSession(1))).toBe(false);
      expect(await store.commit(user, 't2', 'm2', null)).toBe(true);
      expect(await store.begin(user, 'm1', 't3', 5000)).toEqual({ token: 't3', session: null, seen: false });
    });

    it('release with a foreign token leaves the lock alone', async () => {
      await store.begin(user, 'm1', 't1', 5000);
      await store.release(user, 'intruder');
      expect(await store.begin(user, 'm2', 't2', 5000)).toBeNull();
    });

    it('a lock whose holder vanished expires', async () => {
      await store.begin(user, 'm1', 't1', 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await store.begin(user, 'm2', 't2', 5000)).not.toBeNull();
    });

    it('commit with no session erases the stored one', async () => {
      await store.begin(user, 'm1', 't1', 5000);
      await store.commit(user, 't1', 'm1', newSession(1));
      await store.begin(user, 'm2', 't2', 5000);
      await store.commit(user, 't2', 'm2', null);
      expect((await store.begin(user, 'm3', 't3', 5000))!.session).toBeNull();
    });

    it('recruiter contacts count distinct people who warned about or reported them', async () => {
      const a = `h-${randomUUID()}`;
      const b = `h-${randomUUID()}`;
      expect(await store.recruiterCounts([a, b], 'someone')).toEqual([{ warned: 0, reported: 0, people: 0 }, { warned: 0, reported: 0, people: 0 }]);
      await store.recordRecruiters('warned', [a, b], 'person-1');
      await store.recordRecruiters('warned', [a], 'person-1');
      await store.recordRecruiters('warned', [a], 'person-2');
      await store.recordRecruiters('reported', [b], 'person-3');
      await store.recordRecruiters('reported', [a], 'person-2');
      expect(await store.recruiterCounts([a, b], 'someone')).toEqual([{ warned: 2, reported: 1, people: 2 }, { warned: 1, reported: 1, people: 2 }]);
      // The asking person's own warnings and reports are not counted back to them.
      expect(await store.recruiterCounts([a, b], 'person-1')).toEqual([{ warned: 1, reported: 1, people: 1 }, { warned: 0, reported: 1, people: 1 }]);
      expect(await store.recruiterCounts([a, b], 'person-3')).toEqual([{ warned: 2, reported: 1, people: 2 }, { warned: 1, reported: 0, people: 1 }]);
      expect(await store.recruiterCounts([], 'someone')).toEqual([]);
    });

    it('forgetUser deletes the session and the marks of the user’s messages, not other users’', async () => {
      const other = `${user}-other`;
      for (const u of [user, other]) {
        await store.begin(u, 'm1', 't1', 5000);
        await store.commit(u, 't1', 'm1', newSession(1));
      }
      await store.forgetUser(user);
      expect(await store.begin(user, 'm1', 't2', 5000)).toEqual({ token: 't2', session: null, seen: false });
      expect(await store.begin(other, 'm1', 't2', 5000)).toMatchObject({ seen: true, session: newSession(1) });
    });
  });
}
