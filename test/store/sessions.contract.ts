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
      expect(await sessions().begin(user, 'm1', 't1')).toEqual({ lease: 't1', session: null, seen: false });
    });

    it('commit saves the session and marks the message seen', async () => {
      const store = sessions();
      const s = newSession(1);
      s.lang = 'en';
      await store.begin(user, 'm1', 't1');
      expect(await store.commit(user, 't1', 'm1', s)).toBe(true);
      const again = await store.begin(user, 'm1', 't2');
      expect(again).toEqual({ lease: 't2', session: s, seen: true });
    });

    it(`remembers the last ${HANDLED_KEPT} handled messages; an older one is no longer known`, async () => {
      const store = sessions();
      const s = newSession(1);
      const n = HANDLED_KEPT + 4;
      for (let i = 1; i <= n; i++) {
        const claim = await store.begin(user, `m${i}`, `t${i}`);
        expect(claim!.seen).toBe(false);
        expect(await store.commit(user, `t${i}`, `m${i}`, s)).toBe(true);
      }
      for (let i = 5; i <= n; i++) {
        expect((await store.begin(user, `m${i}`, 'x'))!.seen).toBe(true);
        await store.release(user, 'x');
      }
      expect((await store.begin(user, 'm4', 'y'))!.seen).toBe(false);
      await store.release(user, 'y');
    });

    it('two reads of one user may both go on; only the first commit saves, the second changes nothing', async () => {
      const store = sessions();
      const a = newSession(1);
      a.lang = 'id';
      const b = newSession(2);
      b.lang = 'en';
      expect(await store.begin(user, 'm1', 't1')).toMatchObject({ session: null });
      expect(await store.begin(user, 'm2', 't2')).toMatchObject({ session: null });
      expect(await store.commit(user, 't1', 'm1', a)).toBe(true);
      expect(await store.commit(user, 't2', 'm2', b)).toBe(false);
      // Read again, the second message finds the first's session and saves on it.
      expect(await store.begin(user, 'm2', 't3')).toEqual({ lease: 't3', session: a, seen: false });
      expect(await store.commit(user, 't3', 'm2', b)).toBe(true);
      expect(await store.begin(user, 'm1', 't4')).toEqual({ lease: 't4', session: b, seen: true });
    });

    it('other users are not affected by one user’s reads and saves', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1');
      await store.begin(`${user}-other`, 'm1', 't2');
      expect(await store.commit(`${user}-other`, 't2', 'm1', newSession(1))).toBe(true);
      expect(await store.commit(user, 't1', 'm1', newSession(1))).toBe(true);
    });

    it('a read released (or never made) commits nothing', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1');
      await store.release(user, 't1');
      expect(await store.commit(user, 't1', 'm1', newSession(1))).toBe(false);
      expect(await store.commit(user, 'never', 'm1', newSession(1))).toBe(false);
      expect(await store.begin(user, 'm1', 't2')).toEqual({ lease: 't2', session: null, seen: false });
    });

    it('a reader that vanished holds nobody up', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1');
      const next = await store.begin(user, 'm2', 't2');
      expect(await store.commit(user, next.lease, 'm2', newSession(1))).toBe(true);
    });

    it('an erased session started again is not mistaken for the one read before the erasure', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1');
      await store.commit(user, 't1', 'm1', newSession(1));
      await store.begin(user, 'm2', 'old');
      await store.begin(user, 'm3', 't3');
      await store.commit(user, 't3', 'm3', null);
      await store.begin(user, 'm4', 't4');
      await store.commit(user, 't4', 'm4', newSession(4));
      expect(await store.commit(user, 'old', 'm2', newSession(2))).toBe(false);
    });

    it('commit with no session erases the stored one', async () => {
      const store = sessions();
      await store.begin(user, 'm1', 't1');
      await store.commit(user, 't1', 'm1', newSession(1));
      await store.begin(user, 'm2', 't2');
      await store.commit(user, 't2', 'm2', null);
      expect((await store.begin(user, 'm3', 't3'))!.session).toBeNull();
    });

    it('forgetUser deletes the session and the marks of the user’s messages, not other users’', async () => {
      const store = sessions();
      const other = `${user}-other`;
      for (const u of [user, other]) {
        await store.begin(u, 'm1', 't1');
        await store.commit(u, 't1', 'm1', newSession(1));
      }
      await store.forgetUser(user);
      expect(await store.begin(user, 'm1', 't2')).toEqual({ lease: 't2', session: null, seen: false });
      expect(await store.begin(other, 'm1', 't2')).toMatchObject({ seen: true, session: newSession(1) });
    });
  });
}
