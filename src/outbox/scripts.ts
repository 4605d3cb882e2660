// The outbox's Lua scripts. Each change to the outbox is one of these, atomic. Every key of one
// channel's outbox shares a hash tag (see outboxKeys in src/store/keys.ts), so they run on Redis
// Cluster too; per-chat names are built from ARGV[1] (`base`) exactly as outboxKeys builds them:
//   base .. 'q:' .. chat .. ':' .. priority    a chat's messages of one priority (a list)
//   base .. 'r:' .. chat                        a chat's rate state (GCRA theoretical arrival time)
// A queued message is "<queued at µs>|<attempts>|[!][#<tag>|]<sealed platform message JSON>" ("!": a
// message the person did not ask for, withheld when it comes to be sent to someone in safety mode; a
// tag, such as a campaign's id, has its outcomes counted in `base .. 'tags'`); a message in a sender's
// hands is recorded in `inflight` as chat → "<claim token>|<priority>|<claimed at µs>" (microseconds:
// no two scripts run in the same one, so "queued before it was claimed" is never a tie).
// Times are milliseconds (fractions kept: rates such as 30/s do not divide a second evenly), read from
// Redis's own clock, so processes on machines whose clocks differ still share one rate.

/** Priorities: a lower number goes first, in a chat's queue and across chats. */
export const PRIORITY = { urgent: 0, reply: 1, bulk: 2 } as const;
export type Priority = keyof typeof PRIORITY;
/** Ready scores are priority * SPAN + time, so one sorted set orders by priority, then by time. */
export const PRIORITY_SPAN = 1e13;

const COMMON = `
local SPAN = ${PRIORITY_SPAN}
local base = ARGV[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local function fmt(x) return string.format('%.3f', x) end
local function queue(chat, p) return base .. 'q:' .. chat .. ':' .. p end
local function queuedAt(entry) return tonumber(string.match(entry, '^(%d+)|') or '0') end
local function held(entry) return string.match(entry, '^([^|]*)|(%d)|(%d+)$') end
local function tagOf(entry) return entry and string.match(entry, '^%d+|%d+|!?#([^|]*)|') end
-- A message the person did not ask for (a status message, a campaign's), to someone now in safety mode.
local function withheld(entry, chat)
  return string.match(entry, '^%d+|%d+|!') ~= nil and redis.call('SISMEMBER', base .. 'safe', chat) == 1
end
-- Counts an outcome of a tagged message (a campaign's): sent, failed, gone, expired, in_doubt.
local function tagged(entry, outcome)
  local t = tagOf(entry)
  if t then redis.call('HINCRBY', base .. 'tags', t .. ':' .. outcome, 1) end
end
-- Whether a chat has nothing queued: an empty list does not exist in Redis, so one EXISTS answers.
local function idle(chat)
  return redis.call('EXISTS', queue(chat, 0), queue(chat, 1), queue(chat, 2)) == 0
end
-- The most urgent priority with messages in a chat's queues, or nil.
local function best(chat)
  for p = 0, 2 do
    if redis.call('EXISTS', queue(chat, p)) == 1 then return p end
  end
  return nil
end
-- Puts a chat's first message of priority p into a sender's hands (the chat's own rate is taken).
-- tat: the chat's rate state when the caller has just read it (nil: read it here). The chat leaves
-- the ready set (where a stale entry could otherwise have it taken twice).
local function take(ready, lease, inflight, chat, p, token, cint, leaseMs, tat)
  local rk = base .. 'r:' .. chat
  local ctat = math.max(tat or tonumber(redis.call('GET', rk) or '0'), now) + cint
  redis.call('SET', rk, fmt(ctat), 'PX', math.ceil(ctat - now) + 1000)
  redis.call('ZREM', ready, chat)
  redis.call('ZADD', lease, fmt(now + leaseMs), chat)
  redis.call('HSET', inflight, chat, token .. '|' .. p .. '|' .. string.format('%d', math.floor(now * 1000)))
end
-- Puts a chat with messages into the ready set at its best priority, from when its own rate allows.
-- Returns whether the chat still has messages. held: the chat's message was in a sender's hands
-- (then it is in no ready set: enqueue leaves a chat in hand out, and taking one removes it).
local function schedule(ready, chat, tolerance, held)
  local p = nil
  if not idle(chat) then p = best(chat) end
  if p == nil then
    if not held then redis.call('ZREM', ready, chat) end
    return false
  end
  local tat = tonumber(redis.call('GET', base .. 'r:' .. chat) or '0')
  redis.call('ZADD', ready, fmt(p * SPAN + math.max(now, tat - tolerance)), chat)
  return true
end
`;

/** For scripts whose KEYS start ready, lease, inflight, sent: a chat's message is out of a sender's hands. */
const RELEASE = `
local function release(chat, tolerance)
  redis.call('HDEL', KEYS[3], chat)
  redis.call('HDEL', KEYS[4], chat)
  redis.call('ZREM', KEYS[2], chat)
  return schedule(KEYS[1], chat, tolerance, true)
end
`;

/**
 * enqueue, as a function of where its keys and arguments start, so that it can also run inside
 * another script (a session's save: see AlsoWrite in src/store/atomic.ts); its arguments come last.
 * KEYS from k: ready (the one key named, for routing; the others are built from base as outboxKeys
 * builds them: they share its hash tag).
 * ARGV from a: base, chat, priority, idempotency key ('' for none), key ttl s, 'reply' (the person
 * just wrote: reachable again) or 'push' (refused when they are gone), chat rate tolerance ms, claim
 * token of a sender in this process ('' for none), channel interval ms, how early a channel token may
 * be taken ms, chat interval ms, lease ms, then the platform messages (JSON) to the end of ARGV.
 * When the chat had nothing waiting, its rate and the channel's allow a message now and no more
 * urgent message is due for anyone else, the first message is given at once to the sender named by
 * its claim token (it has the message in hand: no claim, no read back). Returns 'claimed';
 * 'queued:<ms>' (in the ready set, due in ms: a sender need not look before then); 'queued' (behind a
 * message of the chat's in a sender's hands: that sender looks for it when it is done with that one);
 * 'duplicate' (the key was seen), 'gone', or 'withheld' (a push to someone in safety mode: see outboxKeys' safe).
 */
export const ENQUEUE_FN = `
local function enqueue(k, a)
  base = ARGV[a]
  local ready = KEYS[k]
  local lease, gone, stats, inflight, rate = base .. 'lease', base .. 'gone', base .. 'stats', base .. 'inflight', base .. 'rate'
  local chat, prio, ctol, token = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 6]), ARGV[a + 7]
  if ARGV[a + 5] == 'reply' then
    redis.call('ZREM', gone, chat)
  elseif redis.call('ZSCORE', gone, chat) then
    return 'gone'
  elseif redis.call('SISMEMBER', base .. 'safe', chat) == 1 then
    return 'withheld'
  end
  if ARGV[a + 3] ~= '' and not redis.call('SET', base .. 'k:' .. ARGV[a + 3], '1', 'NX', 'EX', ARGV[a + 4]) then return 'duplicate' end
  local wasIdle = idle(chat)
  local q = queue(chat, prio)
  local at = string.format('%d', math.floor(now * 1000))
  local mark = '|0|'
  if ARGV[a + 5] ~= 'reply' then mark = '|0|!' end
  for i = a + 12, #ARGV do redis.call('RPUSH', q, at .. mark .. ARGV[i]) end
  redis.call('HINCRBY', stats, 'queued', #ARGV - a - 11)
  -- A chat with a message in hand is scheduled again when that one is done (so a chat in hand is in
  -- no ready set: release need not look for it there). A message in hand is still at the head of its
  -- queue, so a chat that had nothing queued has none in hand: no need to ask.
  if not wasIdle and redis.call('ZSCORE', lease, chat) then return 'queued' end
  -- The chat's rate, and the channel's where the message may be given at once: one MGET for both.
  local fast = token ~= '' and wasIdle
  local tat, gtat
  if fast then
    local both = redis.call('MGET', base .. 'r:' .. chat, rate)
    tat, gtat = tonumber(both[1] or '0'), tonumber(both[2] or '0')
  else
    tat = tonumber(redis.call('GET', base .. 'r:' .. chat) or '0')
  end
  local due = math.max(now, tat - ctol)
  if fast and due <= now then
    local urgent = prio > 0 and #redis.call('ZRANGEBYSCORE', ready, '-inf', fmt((prio - 1) * SPAN + now), 'LIMIT', 0, 1) > 0
    if gtat - tonumber(ARGV[a + 9]) <= now and not urgent then
      gtat = math.max(gtat, now) + tonumber(ARGV[a + 8])
      redis.call('SET', rate, fmt(gtat), 'PX', math.ceil(gtat - now) + 1000)
      take(ready, lease, inflight, chat, prio, token, tonumber(ARGV[a + 10]), tonumber(ARGV[a + 11]), tat)
      return 'claimed'
    end
  end
  local score = prio * SPAN + due
  local current = redis.call('ZSCORE', ready, chat)
  if not current or score < tonumber(current) then redis.call('ZADD', ready, fmt(score), chat) end
  return 'queued:' .. string.format('%d', math.ceil(due - now))
end
`;

/** The enqueue script on its own (see ENQUEUE_FN): KEYS from 1, ARGV from 1. */
export const ENQUEUE = `${COMMON}${ENQUEUE_FN}
return enqueue(1, 1)`;

/** The enqueue for another script to run after its own work (AlsoWrite): `also(k, a)`. */
export const ENQUEUE_ALSO = `${COMMON}${ENQUEUE_FN}
local function also(k, a) return enqueue(k, a) end
`;

/**
 * claim: KEYS[1] ready, KEYS[2] lease, KEYS[3] inflight, KEYS[4] sent, KEYS[5] channel rate, KEYS[6] stats,
 * KEYS[7] clock (when a claim last ran)
 * ARGV[1] base, ARGV[2] most messages to take, ARGV[3] channel interval ms,
 * ARGV[4] how early a channel token may be taken ms, ARGV[5] chat interval ms, ARGV[6] chat tolerance ms,
 * ARGV[7] lease ms, ARGV[8] claim token, ARGV[9] oldest age ms to still send (0: no limit).
 * First, if no claim ran for half a lease (Redis was away, or every sender had stopped), gives every
 * lease a full term from now: a live sender renews its own before any is taken back. Then takes back
 * leases that ran out (their holder died): a message already written to the platform counts as
 * sent, any other is sent again. Then takes up to ARGV[2] first messages of ready
 * chats, most urgent priority first, within the channel's rate (GCRA, shared by every process).
 * Returns {wait ms until something may be due (-1: nothing queued), chat, priority, message, ...}.
 */
export const CLAIM = `${COMMON}${RELEASE}
local max, gint, early = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local cint, ctol, leaseMs, token, maxAge = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])
local last = tonumber(redis.call('GET', KEYS[7]) or '0')
redis.call('SET', KEYS[7], fmt(now), 'PX', 86400000)
if last > 0 and now - last > leaseMs / 2 then
  for _, chat in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', fmt(now + leaseMs))) do
    redis.call('ZADD', KEYS[2], fmt(now + leaseMs), chat)
  end
end
for _, chat in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', fmt(now), 'LIMIT', 0, 100)) do
  local entry = redis.call('HGET', KEYS[3], chat)
  if entry then
    local tok, p = held(entry)
    if redis.call('HGET', KEYS[4], chat) == tok then
      tagged(redis.call('LPOP', queue(chat, p)), 'in_doubt')
      redis.call('HINCRBY', KEYS[6], 'in_doubt', 1)
    else
      redis.call('HINCRBY', KEYS[6], 'reclaimed', 1)
    end
  end
  release(chat, ctol)
end
local gtat = tonumber(redis.call('GET', KEYS[5]) or '0')
local out = {-1}
local taken, blocked = 0, false
for p = 0, 2 do
  if taken >= max or blocked then break end
  local chats = redis.call('ZRANGEBYSCORE', KEYS[1], fmt(p * SPAN), fmt(p * SPAN + now), 'LIMIT', 0, max - taken)
  for _, chat in ipairs(chats) do
    if gtat - early > now then
      blocked = true
      break
    end
    local bp = best(chat)
    if bp == nil then
      redis.call('ZREM', KEYS[1], chat)
    else
      local q = queue(chat, bp)
      local head = redis.call('LINDEX', q, 0)
      if maxAge > 0 and now - queuedAt(head) / 1000 > maxAge then
        tagged(redis.call('LPOP', q), 'expired')
        redis.call('HINCRBY', KEYS[6], 'expired', 1)
        schedule(KEYS[1], chat, ctol)
      elseif withheld(head, chat) then
        -- Safety mode came on after it was queued: not sent.
        tagged(redis.call('LPOP', q), 'withheld')
        redis.call('HINCRBY', KEYS[6], 'withheld', 1)
        schedule(KEYS[1], chat, ctol)
      else
        gtat = math.max(gtat, now) + gint
        take(KEYS[1], KEYS[2], KEYS[3], chat, bp, token, cint, leaseMs)
        out[#out + 1] = chat
        out[#out + 1] = bp
        out[#out + 1] = head
        taken = taken + 1
      end
    end
  end
end
if gtat > now then redis.call('SET', KEYS[5], fmt(gtat), 'PX', math.ceil(gtat - now) + 1000) end
local wait = -1
local function sooner(w)
  if wait < 0 or w < wait then wait = w end
end
for p = 0, 2 do
  local first = redis.call('ZRANGEBYSCORE', KEYS[1], fmt(p * SPAN), fmt((p + 1) * SPAN - 1), 'LIMIT', 0, 1, 'WITHSCORES')
  if first[2] then sooner(math.max(0, tonumber(first[2]) - p * SPAN - now)) end
end
local lease = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if lease[2] then sooner(math.max(0, tonumber(lease[2]) - now)) end
if wait >= 0 then wait = math.max(wait, gtat - early - now) end
out[1] = math.ceil(wait)
return out`;

/**
 * ack: KEYS[1] ready, KEYS[2] lease, KEYS[3] inflight, KEYS[4] sent, KEYS[5] stats, KEYS[6] gone
 * ARGV[1] base, ARGV[2] chat tolerance ms, then per message: chat, claim token,
 * outcome ('sent', 'drop' a message the platform refused, 'gone' the recipient, 'wait' as the platform
 * asked, 'fail' a failed attempt), pause ms. An ack whose token no longer holds the chat changes nothing;
 * a message no longer there (deleted by hand) is simply released.
 * Returns how many of the chats have more messages waiting (a sender looks for work only then).
 */
export const ACK = `${COMMON}${RELEASE}
local ctol = tonumber(ARGV[2])
local more = 0
-- Counted here, written once per script (acks come in batches).
local counts = {}
local function count(name, n) counts[name] = (counts[name] or 0) + n end
for i = 3, #ARGV, 4 do
  local chat, token, outcome, pause = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local entry = redis.call('HGET', KEYS[3], chat)
  local tok, p, claimed = nil, nil, 0
  if entry then tok, p, claimed = held(entry) end
  if tok ~= token then
    count('stale_acks', 1)
  else
    local q = queue(chat, p)
    if outcome == 'sent' then
      tagged(redis.call('LPOP', q), 'sent')
      count('sent', 1)
    elseif outcome == 'drop' then
      tagged(redis.call('LPOP', q), 'failed')
      count('failed', 1)
    elseif outcome == 'gone' then
      -- Drops this message and what was queued before it was taken; what came later answers someone
      -- who wrote again meanwhile (they unblocked us), so it stays and they are not marked gone.
      local dropped, kept = 0, 0
      local first = redis.call('LPOP', q)
      if first then
        dropped = 1
        tagged(first, 'gone')
      end
      for x = 0, 2 do
        local qx = queue(chat, x)
        local items = redis.call('LRANGE', qx, 0, -1)
        if #items > 0 then
          redis.call('DEL', qx)
          for _, item in ipairs(items) do
            if queuedAt(item) < tonumber(claimed) then
              dropped = dropped + 1
              tagged(item, 'gone')
            else
              kept = kept + 1
              redis.call('RPUSH', qx, item)
            end
          end
        end
      end
      if kept == 0 then redis.call('ZADD', KEYS[6], fmt(now), chat) end
      count('gone', dropped)
    else
      local head = redis.call('LINDEX', q, 0)
      if outcome == 'fail' then
        local at, attempts, body = nil, nil, nil
        if head then at, attempts, body = string.match(head, '^(%d+)|(%d+)|(.*)$') end
        if at then redis.call('LSET', q, 0, at .. '|' .. (tonumber(attempts) + 1) .. '|' .. body) end
        count('retried', 1)
      else
        count('rate_limited', 1)
      end
      local rk = base .. 'r:' .. chat
      local tat = math.max(tonumber(redis.call('GET', rk) or '0'), now + pause + ctol)
      redis.call('SET', rk, fmt(tat), 'PX', math.ceil(tat - now) + 1000)
    end
    if release(chat, ctol) then more = more + 1 end
  end
end
for name, n in pairs(counts) do
  if n > 0 then redis.call('HINCRBY', KEYS[5], name, n) end
end
return more`;


/**
 * renew: KEYS[1] lease; ARGV[1] base, ARGV[2] lease ms, ARGV[3..] chats.
 * Moves the leases of messages still being sent to ARGV[2] from now (only existing ones, only later).
 */
export const RENEW = `${COMMON}
local deadline = fmt(now + tonumber(ARGV[2]))
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], 'XX', 'GT', deadline, ARGV[i]) end
return 0`;

/**
 * delay: KEYS[1] channel rate; ARGV[1] base, ARGV[2] ms. A sender that was held up between claiming a
 * message and sending it (a long GC pause) takes the channel's next slot for it (ARGV[2]: one
 * interval, and its lateness too past a second: see heldUp in outbox.ts), so the messages that follow
 * do not reach the platform one too many in a second.
 */
export const DELAY = `${COMMON}
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat <= 0 then return 0 end
tat = math.max(tat, now) + tonumber(ARGV[2])
redis.call('SET', KEYS[1], fmt(tat), 'PX', math.ceil(tat - now) + 1000)
return 1`;

/**
 * oldest: KEYS[1] ready, KEYS[2] lease; ARGV[1] base, ARGV[2] most chats looked at of each priority
 * (and in senders' hands). Reads the heads of those chats' queues (each chat's oldest message of each
 * priority): the chats due first of each priority, and those whose message is in a sender's hands.
 * Returns how long the oldest of them has waited (ms, by Redis's clock), -1 when none is waiting.
 * Writes nothing.
 */
export const OLDEST = `${COMMON}
local most = tonumber(ARGV[2])
local oldest = nil
local function look(chats)
  for _, chat in ipairs(chats) do
    for p = 0, 2 do
      local head = redis.call('LINDEX', queue(chat, p), 0)
      if head then
        local at = queuedAt(head) / 1000
        if oldest == nil or at < oldest then oldest = at end
      end
    end
  end
end
for p = 0, 2 do look(redis.call('ZRANGEBYSCORE', KEYS[1], fmt(p * SPAN), fmt((p + 1) * SPAN - 1), 'LIMIT', 0, most)) end
look(redis.call('ZRANGE', KEYS[2], 0, most - 1))
if oldest == nil then return -1 end
return math.max(0, math.floor(now - oldest))`;
