// An outbox that records what was handed to it, each idempotency key once (the real one is tested in test/outbox).
import type { Deliverer, OutboxItem } from '../../src/outbox/outbox.js';

export class RecordingOutbox implements Deliverer {
  sent: { to: { channel: string; user: string }; items: readonly OutboxItem[]; key?: string }[] = [];
  async deliver(to: { channel: string; user: string }, items: readonly OutboxItem[], opts?: { key?: string }) {
    if (this.sent.some((s) => s.key && s.key === opts?.key)) return 'duplicate' as const;
    this.sent.push({ to, items, key: opts?.key });
    return 'queued' as const;
  }
}
