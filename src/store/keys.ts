// Every Redis key name, in one place. All live under the configured prefix. A user's keys share a
// hash tag ({channel:user}) so that the multi-key scripts work on Redis Cluster too.

export type UserKey = string; // "<channel>:<user id>"

export function userKey(channel: string, userId: string): UserKey {
  return `${channel}:${userId}`;
}

export function keyspace(prefix: string) {
  const tag = (u: UserKey) => `{${u}}`;
  return {
    prefix,
    session: (u: UserKey) => `${prefix}:session:${tag(u)}`,
    lock: (u: UserKey) => `${prefix}:lock:${tag(u)}`,
    seen: (u: UserKey, messageId: string) => `${prefix}:seen:${tag(u)}:${messageId}`,
    /** SCAN pattern of a user's seen-marks (glob characters in the id escaped). */
    seenPattern: (u: UserKey) => `${prefix}:seen:${tag(u).replace(/[*?[\]\\]/g, '\\$&')}:*`,
    /** Set when the platform says the user blocked us (Telegram 403); cleared when they write again. */
    unreachable: (u: UserKey) => `${prefix}:unreachable:${tag(u)}`,
    /** Keys that hold personal data of a user; "delete my data" removes all of them. */
    personal: (u: UserKey) => [`${prefix}:session:${tag(u)}`, `${prefix}:unreachable:${tag(u)}`],
    /** HyperLogLog of who warned about / reported a recruiter contact (by keyed hash). */
    recruiter: (hash: string, kind: 'warned' | 'reported' | 'probe') => `${prefix}:recruiter:{${hash}}:${kind}`,
    // The inbox: webhook deliveries waiting to be handled. One hash tag, so ingest is one script.
    inbox: `${prefix}:{inbox}:stream`,
    inboxSeen: (channel: string, deliveryId: string) => `${prefix}:{inbox}:seen:${channel}:${deliveryId}`,
  };
}
export type Keyspace = ReturnType<typeof keyspace>;
