/**
 * `p`, or a rejection with Error(`message`) when it has not settled within `ms` (its timer cleared
 * either way). `p` itself goes on: only the wait for it ends.
 */
export function withTimeout<T>(p: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
