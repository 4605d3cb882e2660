// Edit distance done plainly, and seeded random strings and typos: for checking the fast distance and typo matching.

/** Optimal string alignment distance, the whole table, written plainly: the reference. */
export function referenceDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d[i]![j] = i + j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** A small seeded generator (mulberry32): the same strings on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomString(rand: () => number, alphabet: string, maxLength: number): string {
  const n = Math.floor(rand() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** `s` with `edits` random edits (insert, delete, substitute, swap neighbours): pairs that are near, not only far. */
export function edited(rand: () => number, s: string, alphabet: string, edits: number): string {
  let out = s;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1));
    const c = alphabet[Math.floor(rand() * alphabet.length)]!;
    const op = Math.floor(rand() * 4);
    if (op === 0) out = out.slice(0, at) + c + out.slice(at);
    else if (op === 1 && at < out.length) out = out.slice(0, at) + out.slice(at + 1);
    else if (op === 2 && at < out.length) out = out.slice(0, at) + c + out.slice(at + 1);
    else if (at + 1 < out.length) out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2);
  }
  return out;
}
