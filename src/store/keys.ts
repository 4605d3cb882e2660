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
    /** Messages handled straight from a webhook, counted for the flood limit (lives a window or a silence; in the user's slot). */
    messageCount: (u: UserKey) => `${prefix}:count:${tag(u)}`,
    /**
     * Safety mode asked for this person from outside the chat (staff, on their case): the next message
     * they send is handled in safety mode (read with the session, in the same slot).
     */
    safetyAsked: (u: UserKey) => `${prefix}:safety:${tag(u)}`,
    /**
     * Set (for 30 s, renewed by each) while a person's messages wait in the inbox where messages from
     * webhooks are handled directly: their next message, in any process, goes there too, behind them
     * (see BeginOptions.behind). In the user's slot, read with the session.
     */
    inboxHold: (u: UserKey) => `${prefix}:held:${tag(u)}`,
    /** Keys that hold personal data of a user; "delete my data" removes all of them. */
    personal: (u: UserKey) => [`${prefix}:session:${tag(u)}`, `${prefix}:safety:${tag(u)}`, `${prefix}:count:${tag(u)}`, `${prefix}:held:${tag(u)}`],
    /** Set when personal data was erased; cleared once Redis was asked to rewrite its append-only file. */
    aofRewritePending: `${prefix}:aof-rewrite:pending`,
    /** Set for the minimum time between two such rewrites. */
    aofRewriteLast: `${prefix}:aof-rewrite:last`,
    /** HyperLogLog of who warned about / reported a recruiter contact (by keyed hash). */
    recruiter: (hash: string, kind: 'warned' | 'reported' | 'probe') => `${prefix}:recruiter:{${hash}}:${kind}`,
    /** Marks a warning or report recorded under an idempotency key (an opaque keyed hash, no personal data). */
    recruiterRecorded: (hash: string, kind: 'warned' | 'reported', key: string) => `${prefix}:recruiter:{${hash}}:${kind}:once:${key}`,
    // The inbox: webhook deliveries waiting to be handled. One hash tag, so ingest is one script.
    inbox: `${prefix}:{inbox}:stream`,
    /** A sender's count of recent messages, which also holds their silence after too many (by a keyed hash of them). */
    inboxFlood: (channel: string, sender: string) => `${prefix}:{inbox}:flood:${channel}:${sender}`,
    /** The inbox's fast lane: messages that may be pleas for help, handled before the others. */
    inboxUrgent: `${prefix}:{inbox}:urgent`,
    /** A delivery already taken, by a keyed hash of its id (see Inbox.deliveryRef). */
    inboxSeen: (channel: string, deliveryRef: string) => `${prefix}:{inbox}:seen:${channel}:${deliveryRef}`,
    /** A message handled (its turn saved), by a keyed hash of its channel and id, for two days: see BeginOptions.mark. */
    handledMark: (ref: string) => `${prefix}:{inbox}:handled:${ref}`,
    outbox: (channel: string) => outboxKeys(`${prefix}:{out:${channel}}:`),
    /** The base of a channel's own keys (its link state, who wrote, message statuses): `<base><name>`. */
    channel: (channel: string) => `${prefix}:{ch:${channel}}:`,
    hotline: hotlineKeys(`${prefix}:{hotline}:`),
    broadcast: broadcastKeys(`${prefix}:{bc}:`),
    /** Staff API tokens: SHA-256 of a token → who (name, role); name → the hash of their token. */
    staffTokens: `${prefix}:{staff}:tokens`,
    staffNames: `${prefix}:{staff}:names`,
    /** The staff web console's accounts, sign-in links, sessions and sign-in limits (src/staff/accounts.ts, src/staff/web/). */
    staffConsole: staffConsoleKeys(`${prefix}:{staff}:console:`),
    /** A picture or video staff attached to a campaign, by the SHA-256 of its bytes (src/store/media.ts). */
    media: (id: string) => `${prefix}:media:${id}`,
    agencies: agencyKeys(`${prefix}:{agencies}:`),
    /** The dashboard's counters of one day (UTC+7, "2025-01-31"): src/staff/metrics.ts. */
    metrics: (day: string) => metricsKeys(`${prefix}:{m:${day}}:`),
  };
}
export type Keyspace = ReturnType<typeof keyspace>;

/**
 * The hotline's cases (src/hotline/cases.ts). One hash tag: each change is one atomic script on Redis
 * Cluster too. Its scripts build the per-case names from `base` exactly as below.
 */
function hotlineKeys(base: string) {
  return {
    base,
    /** Hash: a case's plain fields, its sealed personal part `p`, secret hash `s`, owner reference `o`, version `v`. */
    case: (id: string) => `${base}case:${id}`,
    /** List: the case's history (JSON, never personal). */
    events: (id: string) => `${base}events:${id}`,
    /** Streams: every read of personal data and every change, all cases and per case. */
    audit: `${base}audit`,
    caseAudit: (id: string) => `${base}audit:${id}`,
    /** Stream of new cases (id, urgent), read by watchers through consumer groups. */
    fresh: `${base}new`,
    /** Open unclaimed cases, urgent first then oldest; claimed ones by claim deadline; closed by closing time; all by opening time. */
    queue: `${base}queue`,
    claims: `${base}claims`,
    closed: `${base}closed`,
    all: `${base}all`,
    /** The cases a chat opened, by a keyed reference of the chat. */
    owner: (ref: string) => `${base}owner:${ref}`,
    /** List of sealed status messages for families, written with the change that caused them, until the outbox has them. */
    pushes: `${base}pushes`,
    /** The case a message opened (id | sealed secret), for two days. */
    once: (key: string) => `${base}once:${key}`,
    /**
     * Duplicate reports (src/hotline/duplicates.ts): a set of the cases sharing one keyed hash (of a
     * name and country, a recruiter's contact, a passport number: never the value); a case's own
     * hashes (hash → what it stands for); the cases linked to it.
     */
    dup: (hash: string) => `${base}dup:${hash}`,
    dupOf: (id: string) => `${base}dupof:${id}`,
    links: (id: string) => `${base}links:${id}`,
  };
}

/**
 * The staff web console, under the staff hash tag: only hashes of secrets (link tokens, session ids) are
 * key names; what a name or an IP address did is kept no longer than the limit it counts for.
 */
function staffConsoleKeys(base: string) {
  return {
    base,
    /** Hash: staff name → the account (JSON: role, password hash with its parameters, state, epoch). */
    accounts: `${base}accounts`,
    /** Failed sign-ins for a name (known or not) in the last window; the lock that follows too many. */
    failures: (name: string) => `${base}fail:${name}`,
    lock: (name: string) => `${base}lock:${name}`,
    /** A one-time sign-in link, by the SHA-256 of its token → the name; name → that hash (a new link replaces the old). */
    link: (hash: string) => `${base}link:${hash}`,
    linkOf: `${base}linkof`,
    /** A browser session, by the SHA-256 of its id (hash: name, epoch, csrf, created). */
    session: (hash: string) => `${base}session:${hash}`,
    /** Sign-in attempts from one IP address in the current minute. */
    signInRate: (ip: string) => `${base}rate:${ip}`,
    /** Stream: changes to accounts (who, what, to whom, when; never a password or link), src/staff/audit.ts. */
    audit: `${base}audit`,
  };
}

/**
 * The imported list of licensed placement agencies (src/agencies/registry.ts). One hash tag: an import
 * replaces the list and its description in one atomic script (on Redis Cluster too).
 */
function agencyKeys(base: string) {
  return {
    base,
    /** Hash: normalised licence number → the agency (JSON: name, licence, address, valid until, province). */
    list: `${base}list`,
    /** String (JSON): the list in place: its date, version, count, when it was imported. */
    meta: `${base}meta`,
    /** Hash: an import being written, renamed onto `list` once complete (expires if the import dies). */
    staging: (id: string) => `${base}staging:${id}`,
  };
}

/**
 * The staff dashboard's counters of one day (src/staff/metrics.ts), kept 35 days. One hash tag per
 * day: a day is read in one round trip, on Redis Cluster too, and days spread over the slots. No key
 * or value names a person: counts, HyperLogLogs of keyed hashes, keyed hashes of recruiter contacts.
 */
function metricsKeys(base: string) {
  return {
    base,
    /** Hash: counter name ("offer:high", "flag:<id>", "case:opened", ...) → count. */
    counts: `${base}n`,
    /** HyperLogLog: the people who wrote on a channel that day (members are keyed hashes; none is kept). */
    people: (channel: string) => `${base}p:${channel}`,
    /** Sorted set: keyed hash of a recruiter contact → how many times it was reported that day. */
    reported: `${base}r`,
  };
}
export type MetricsKeys = ReturnType<typeof metricsKeys>;

/** Subscribers and campaigns (src/broadcast/). One hash tag: segment bit operations span its keys. */
function broadcastKeys(base: string) {
  return {
    base,
    /** The last subscriber number given. */
    next: `${base}next`,
    /** Keyed reference of a person → their subscriber number, in small hashes. */
    idx: (bucket: number) => `${base}idx:${bucket}`,
    /** Subscriber records, 128 to a hash (number & 127 → record): plain fields, and the sealed address. */
    rec: (group: number) => `${base}rec:${group}`,
    address: (group: number) => `${base}adr:${group}`,
    /** Bitmaps over subscriber numbers. */
    on: `${base}on`,
    optedOut: `${base}optout`,
    topic: (t: string) => `${base}t:${t}`,
    lang: (l: string) => `${base}l:${l}`,
    channel: (c: string) => `${base}c:${c}`,
    region: (r: string) => `${base}r:${r}`,
    destination: (d: string) => `${base}d:${d}`,
    /** Temporary keys (segment counts). */
    scratch: (name: string) => `${base}tmp:${name}`,
    /** A campaign: its fields (texts per language, segment, state, counts). */
    campaign: (id: string) => `${base}cmp:${id}`,
    /** Its recipients when it started (a bitmap), and those already handed to the outbox. */
    campaignTargets: (id: string) => `${base}cmp:${id}:targets`,
    campaignDone: (id: string) => `${base}cmp:${id}:done`,
    /** Every campaign by creation time. */
    campaigns: `${base}campaigns`,
  };
}

/**
 * The outbox of one channel. Every key shares one hash tag, so each change is one atomic script (on
 * Redis Cluster too). The scripts in src/outbox/scripts.ts build the per-chat names (`queue`,
 * `chatRate`) from `base` the same way as below, and the enqueue script (the hot path) builds the
 * other names from `base` too, naming only `ready` for routing: change a name here, change it there.
 */
function outboxKeys(base: string) {
  return {
    base,
    /** Chats with messages to send: score = priority * PRIORITY_SPAN + the time the chat may send next. */
    ready: `${base}ready`,
    /** Chats with a message in a sender's hands: score = when that lease runs out. */
    lease: `${base}lease`,
    /** chat → "<claim token>|<priority>" of the message in hand. */
    inflight: `${base}inflight`,
    /** chat → claim token, written once the message was handed to the network (never sent twice). */
    sent: `${base}sent`,
    /** The channel's rate (GCRA theoretical arrival time, ms), shared by every process. */
    rate: `${base}rate`,
    /** When a sender last claimed (Redis time): a long gap means Redis was away, and leases get a new term. */
    clock: `${base}clock`,
    /** Counters: queued, sent, failed, gone, expired, ... */
    stats: `${base}stats`,
    /** Outcomes of tagged messages (a campaign's): "<tag>:<outcome>" → count. */
    tags: `${base}tags`,
    /** The recipient registry: people the platform says are gone (blocked us), by when. */
    gone: `${base}gone`,
    /**
     * People in safety mode (someone else may read their phone): nothing is sent to them unasked (no
     * alerts, status pushes or staff messages); replies to what they write still go.
     */
    safe: `${base}safe`,
    /** Per chat: the platform's ids of the messages of a safety-mode conversation, to clear it on the exit word. */
    trail: (chat: string) => `${base}trail:${chat}`,
    /** An idempotency key: a delivery with a key already seen is not queued again. */
    key: (k: string) => `${base}k:${k}`,
    /** A chat's messages of one priority, in order: "<queued at µs>|<attempts>|[#<tag>|]<sealed platform message JSON>". */
    queue: (chat: string, priority: number) => `${base}q:${chat}:${priority}`,
    /** A chat's own rate (GCRA theoretical arrival time, ms). */
    chatRate: (chat: string) => `${base}r:${chat}`,
  };
}
export type OutboxKeys = ReturnType<typeof outboxKeys>;
