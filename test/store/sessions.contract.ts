// What every SessionStore does: the same cases run against Redis and memory (sessions.test.ts).
import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { newSession } from '../../src/engine/types.js';
import { HANDLED_KEPT, type SessionStore } from '../../src/store/sessions.js';
import { contract, type Make } from './contract.js';

export function sessionsContract(name: string, make: Make<SessionStore>) {
  contract(`session store contract: ${name}`, make, (sessions) => {
    let user: string;
    beforeEach(() => {
      user = `terminal:${randomUUID()}`;
    });

    it('a first message finds no session and is not seen', async () => {
      expect(await sessions().begin(user, 'm1', 't1', 5000)).toEqual({ lease: 't1', session: null, seen: false });
    });

    it('commit saves the session, marks the message seen and frees the lock', async () => {
      const store = sessions();
      const s = newSession(1);
      s.lang = 'en';
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.commit(user, 't1', 'm1', s)).toBe(true);
      const again = await store.begin(user, 'm1', 't2', 5000);
      expect(again).toEqual({ lease: 't2', session: s, seen: true });
    });

    it(`remembers the last ${HANDLED_KEPT} handled messages; an older one is no longer known`, async () => {
      const store = sessions();
      const s = newSession(1);
      const n = HANDLED_KEPT + 4;
      for (let i = 1; i <= n; i++) {
        const claim = await store.begin(user, `m${i}`, `t${i}`, 5000);
        expect(claim!.seen).toBe(false);
        expect(await store.commit(user, `t${i}`, `m${i}`, s)).toBe(true);
      }
      for (let i = 5; i <= n; i++) {
        expect((await store.begin(user, `m${i}`, 'x', 5000))!.seen).toBe(true);
        await store.release(user, 'x');
      }
      expect((await store.begin(user, 'm4', 'y', 5000))!.seen).toBe(false);
      await store.release(user, 'y');
    });

    it('a second claim on the same user waits until the first is committed or released', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.begin(user, 'm2', 't2', 5000)).toBeNull();
      await store.release(user, 't1');
      expect(await store.begin(user, 'm2', 't2', 5000)).not.toBeNull();
    });

    it('a counted message past the person’s limit is not taken: the first one over says warn, later ones silent, and the lock stays free', async () => {
      const store = sessions();
      const limit = { limit: 3, windowS: 10, silenceS: 60 };
      const got: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const claim = await store.begin(user, `m${i}`, `t${i}`, 5000, { count: limit });
        if (claim && 'over' in claim) got.push(claim.over);
        else {
          got.push('taken');
          await store.commit(user, `t${i}`, `m${i}`, newSession(1));
        }
      }
      expect(got).toEqual(['taken', 'taken', 'taken', 'warn', 'silent']);
      // Over the limit, the lock was not kept: an uncounted message (a button) is still taken.
      expect(await store.begin(user, 'b1', 'tb', 5000)).toMatchObject({ lease: 'tb', seen: false });
      // Another person is not counted with them.
      expect(await store.begin(`${user}-other`, 'o1', 'to', 5000, { count: limit })).toMatchObject({ lease: 'to' });
    });

    it('a counted message counts once its turn is committed: not while the lock is held elsewhere, not when released unsaved', async () => {
      const store = sessions();
      const limit = { limit: 1, windowS: 10, silenceS: 60 };
      await store.begin(user, 'm1', 't1', 5000);
      for (let i = 0; i < 3; i++) expect(await store.begin(user, 'm2', 't2', 5000, { count: limit })).toBeNull();
      await store.release(user, 't1');
      // Taken, then released without saving (it failed): not counted.
      expect(await store.begin(user, 'm2', 't2', 5000, { count: limit })).toMatchObject({ lease: 't2' });
      await store.release(user, 't2');
      expect(await store.begin(user, 'm2', 't3', 5000, { count: limit })).toMatchObject({ lease: 't3' });
      expect(await store.commit(user, 't3', 'm2', newSession(1))).toBe(true);
      expect(await store.begin(user, 'm3', 't4', 5000, { count: limit })).toEqual({ over: 'warn' });
    });

    it('a message marked handled is recognised after the session was erased, and after more than the last ids kept', async () => {
      const store = sessions();
      const mark = (id: string) => `${user}|${id}`;
      await store.begin(user, 'bye', 't0', 5000, { mark: mark('bye') });
      // "Delete my data": the session is erased with the turn.
      expect(await store.commit(user, 't0', 'bye', null)).toBe(true);
      expect(await store.begin(user, 'bye', 't1', 5000, { mark: mark('bye') })).toMatchObject({ seen: true, session: null });
      await store.release(user, 't1');
      for (let i = 1; i <= HANDLED_KEPT + 2; i++) {
        await store.begin(user, `m${i}`, `t${i}x`, 5000, { mark: mark(`m${i}`) });
        await store.commit(user, `t${i}x`, `m${i}`, newSession(1));
      }
      expect(await store.begin(user, 'm1', 'tz', 5000, { mark: mark('m1') })).toMatchObject({ seen: true });
      await store.release(user, 'tz');
      // Unmarked, the same message is only known by the session's last ids.
      expect(await store.begin(user, 'm1', 'ty', 5000)).toMatchObject({ seen: false });
      await store.release(user, 'ty');
    });

    it('a marked repeat is not counted, and a message over the limit is marked: brought again, it is not warned about twice', async () => {
      const store = sessions();
      const mark = (id: string) => `${user}|${id}`;
      const limit = { limit: 1, windowS: 10, silenceS: 60 };
      await store.begin(user, 'hi', 't0', 5000, { mark: mark('hi'), count: limit });
      expect(await store.commit(user, 't0', 'hi', newSession(1))).toBe(true);
      // At the limit now: the same message again is recognised, not counted over it.
      expect(await store.begin(user, 'hi', 't1', 5000, { mark: mark('hi'), count: limit })).toMatchObject({ seen: true });
      await store.release(user, 't1');
      expect(await store.begin(user, 'x', 't2', 5000, { mark: mark('x'), count: limit })).toEqual({ over: 'warn' });
      expect(await store.begin(user, 'x', 't3', 5000, { mark: mark('x'), count: limit })).toMatchObject({ seen: true });
      await store.release(user, 't3');
      expect(await store.begin(user, 'y', 't4', 5000, { mark: mark('y'), count: limit })).toEqual({ over: 'silent' });
    });

    it('other users are not blocked by one user’s lock', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 5000);
      expect(await store.begin(`${user}-other`, 'm1', 't2', 5000)).not.toBeNull();
    });

    it('a commit with a lease that no longer holds the lock changes nothing', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 5000);
      await store.release(user, 't1');
      await store.begin(user, 'm2', 't2', 5000);
      expect(await store.commit(user, 't1', 'm1', newSession(1))).toBe(false);
      expect(await store.commit(user, 't2', 'm2', null)).toBe(true);
      expect(await store.begin(user, 'm1', 't3', 5000)).toEqual({ lease: 't3', session: null, seen: false });
    });

    it('release with a foreign lease leaves the lock alone', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 5000);
      await store.release(user, 'intruder');
      expect(await store.begin(user, 'm2', 't2', 5000)).toBeNull();
    });

    it('a lock whose holder vanished expires', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await store.begin(user, 'm2', 't2', 5000)).not.toBeNull();
    });

    it('commit with no session erases the stored one', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1', 5000);
      await store.commit(user, 't1', 'm1', newSession(1));
      await store.begin(user, 'm2', 't2', 5000);
      await store.commit(user, 't2', 'm2', null);
      expect((await store.begin(user, 'm3', 't3', 5000))!.session).toBeNull();
    });

    it('forgetUser deletes the session and the marks of the user’s messages, not other users’', async () => {
      const store = sessions();
      const other = `${user}-other`;
      for (const u of [user, other]) {
        await store.begin(u, 'm1', 't1', 5000);
        await store.commit(u, 't1', 'm1', newSession(1));
      }
      await store.forgetUser(user);
      expect(await store.begin(user, 'm1', 't2', 5000)).toEqual({ lease: 't2', session: null, seen: false });
      expect(await store.begin(other, 'm1', 't2', 5000)).toMatchObject({ seen: true, session: newSession(1) });
    });

    it('safety mode asked for from outside the chat shows in the person’s next claims until it is withdrawn or their data is forgotten', async () => {
      const store = sessions();
      const other = `${user}-other`;
      await store.askSafety(user, true);
      const first = await store.begin(user, 'm1', 't1', 5000);
      expect(first).toMatchObject({ safetyAsked: true });
      await store.release(user, 't1');
      expect(await store.begin(other, 'm1', 't2', 5000)).not.toHaveProperty('safetyAsked');
      expect(await store.begin(user, 'm2', 't3', 5000)).toMatchObject({ safetyAsked: true });
      await store.release(user, 't3');
      await store.askSafety(user, false);
      expect(await store.begin(user, 'm3', 't4', 5000)).not.toHaveProperty('safetyAsked');
      await store.release(user, 't4');
      await store.askSafety(user, true);
      await store.forgetUser(user);
      expect(await store.begin(user, 'm4', 't5', 5000)).not.toHaveProperty('safetyAsked');
    });
  });
}
