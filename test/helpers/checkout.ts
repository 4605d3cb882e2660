// A private copy of what `npm start` builds and runs from (package files, tsconfigs, scripts/, src/
// and the content folders), with node_modules linked: a test may delete its dist/, break a source or
// its compiler there without racing the other test files, which build and run this checkout's dist/.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

const COPIED = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'flows', 'locales', 'data'];

export interface Checkout {
  dir: string;
  remove(): void;
}

/** A copy without dist/ (so the first `npm start` there builds); remove() deletes it. */
export function privateCheckout(): Checkout {
  const dir = mkdtempSync(join(tmpdir(), 'waspada-checkout-'));
  for (const rel of COPIED) cpSync(join(ROOT, rel), join(dir, rel), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
