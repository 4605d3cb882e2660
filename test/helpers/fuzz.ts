// What the fuzz tests (test/fuzz/) share: fast-check's settings, hostile strings and JSON shapes, and a
// watch on unhandled rejections. fast-check picks the seed; a failure prints it with the path and the
// shrunk counterexample, so `fc.assert(prop, { seed, path })` replays it.
import { Agent, request } from 'node:http';
import fc from 'fast-check';

/** Generated inputs per property (issue 25). */
export const RUNS = 10_000;

/** One UTF-16 code unit of any value: lone surrogates, NUL, bidi marks and controls included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Characters that have broken text handling elsewhere: controls, zero-width, bidi, combining, emoji, Arabic and CJK. */
const NASTY = ['\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u00a0', '\u200b', '\u200d', '\u202e', '\u2028', '\ufeff', '\ufffd', '\u0301', '\ud800', '\udfff', '🆘', '👨‍👩‍👧', 'ﷺ', '漢', 'İ', 'ß', 'ﬀ', '٣', '０'];

/** Words the code under test looks for (commands, pleas, offers, numbers), to reach past the first check. */
export const WORDS = [
  '/start', 'menu', 'tolong', 'help', 'SOS', 'darurat', 'bahasa', 'language', 'stop', 'berhenti', 'hapus data', 'delete my data', 'mode aman', 'X',
  'ya', 'tidak', 'yes', 'no', 'lewati', '1', '2', '3', '7', '9', '0', 'Malaysia', 'Taiwan', 'Kamboja', 'NTB', 'lowongan', 'gaji 15 juta', 'visa turis',
  'paspor ditahan', 'biaya proses 5jt', 'tanpa pengalaman', 'WA 0812-3456-7890', '+60 12-345 6789', 'https://bit.ly/x', 'kerja', 'agen', 'admin online',
];

/**
 * Text as people and attackers send it: mostly short (any code unit, nasty characters, known words
 * mixed), one in `longEvery` long (up to `max` characters, built by repeating a piece so that
 * generating it stays cheap).
 */
export function hostileText(max = 5000, longEvery = 20): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
    { arbitrary: fc.string({ unit: anyUnit, maxLength: 12 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
    { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
    { arbitrary: fc.constantFrom(...WORDS), weight: 4 },
  );
  const short = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(' '));
  const long = fc.tuple(short, fc.integer({ min: 1, max: max })).map(([s, n]) => (s || 'x').repeat(Math.ceil(n / Math.max(1, s.length))).slice(0, n));
  return fc.oneof({ arbitrary: short, weight: longEvery - 1 }, { arbitrary: long, weight: 1 });
}

/** Keys that have polluted prototypes or confused lookups in plain objects. */
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'length', '', '0'];

/** Any JSON value, with hostile keys and strings among the ordinary ones, nested a few levels. */
export function hostileJson(depth = 3): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE_KEYS));
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 1e308, ''),
      fc.integer(),
      hostileText(300),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  })).value;
}

/** A JSON text of a value; JSON.parse gives back own `__proto__` keys, as a platform's post would. */
export const jsonText = (v: unknown): string => JSON.stringify(v) ?? 'null';

/**
 * Unhandled promise rejections while a property runs (vitest also reports them, but only after the
 * test: this names the property that caused one). `stop()` removes the listener and returns them.
 */
export function watchRejections(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const on = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', on);
  return {
    stop() {
      process.off('unhandledRejection', on);
      return seen;
    },
  };
}

/** Whether a value survives a JSON round trip unchanged (no functions, undefined inside arrays, NaN, cycles, class instances). */
export function jsonStable(v: unknown): boolean {
  try {
    return deepJsonEqual(JSON.parse(JSON.stringify(v) ?? 'null'), v);
  } catch {
    return false;
  }
}

function deepJsonEqual(a: unknown, b: unknown): boolean {
  if (b === undefined) return a === undefined;
  if (typeof b === 'function' || typeof b === 'symbol' || typeof b === 'bigint') return false;
  if (typeof b === 'number' && !Number.isFinite(b)) return false;
  if (b === null || typeof b !== 'object') return Object.is(a, b) || (a === 0 && b === 0);
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && b.every((x, i) => deepJsonEqual(a[i], x));
  if (Object.getPrototypeOf(b) !== Object.prototype && Object.getPrototypeOf(b) !== null) return false;
  const keys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  const ak = a && typeof a === 'object' ? Object.keys(a) : [];
  return ak.length === keys.length && keys.every((k) => deepJsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * One HTTP request over a shared keep-alive connection pool (node:http: a third of fetch's cost per
 * request, and it sends what fetch would refuse to); its status, once the answer is read. A request
 * with no answer (the connection reset, the server gone) rejects.
 */
export function httpRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
