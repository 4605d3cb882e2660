// Preloaded into every bot the webhook bench runs (node --require dist/bench/redis-trips.cjs, given
// through NODE_OPTIONS so a child process would count too): counts the round trips a process makes to
// Redis, the same way for every bot whatever its Redis client (ioredis, node-redis, auto-pipelined or
// not).
//
// A round trip is one flush of bytes to a socket connected to the Redis port: one call of net.Socket's
// _write or _writev, i.e. what a stream hands to the kernel in one go. Commands a client writes
// together (a MULTI/pipeline, ioredis auto-pipelining, node-redis's corked tick) are one flush; a
// command written on its own is one. Counting socket.write() calls instead would count node-redis once
// per argument chunk, and counting commands is what Redis's own INFO commandstats does already.
//
// BENCH_TRIPS_PORT: the Redis port; BENCH_TRIPS_DIR: a directory where this process keeps
// `<pid>` = "<seq> <flushes>"; rewritten at start, on SIGUSR2 (seq + 1 each time) and at exit, so the
// bench reads the count outside the span whose CPU it measures.
import fs = require('node:fs');
import net = require('node:net');
import path = require('node:path');

const port = Number(process.env.BENCH_TRIPS_PORT);
const dir = process.env.BENCH_TRIPS_DIR;

if (port && dir) {
  let flushes = 0;
  let seq = 0;
  type Write = (this: net.Socket, ...args: unknown[]) => unknown;
  const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', Write>;
  for (const name of ['_write', '_writev'] as const) {
    const original = proto[name];
    proto[name] = function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === port) flushes++;
      return original.apply(this, args);
    };
  }
  const file = path.join(dir, String(process.pid));
  const dump = () => {
    try {
      fs.writeFileSync(file, `${seq++} ${flushes}\n`);
    } catch {
      /* the bench has gone */
    }
  };
  dump();
  process.on('SIGUSR2', dump);
  process.on('exit', dump);
}
