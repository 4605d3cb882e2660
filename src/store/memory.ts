// Both stores in memory. Used by the demo only: nothing survives a restart.
import { MemoryCaseStore } from '../hotline/cases.js';
import { MemoryRecruiterRegistry } from './recruiters.js';
import { MemorySessionStore } from './sessions.js';
import type { Store } from './store.js';

export class MemoryStore implements Store {
  readonly sessions: MemorySessionStore;
  readonly recruiters: MemoryRecruiterRegistry;
  readonly cases = new MemoryCaseStore();

  constructor(now: () => number = Date.now) {
    this.sessions = new MemorySessionStore(now);
    this.recruiters = new MemoryRecruiterRegistry(now);
  }

  async close(): Promise<void> {}
}
