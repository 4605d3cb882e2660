// The compiled code (dist/src), built first when a source changed since (scripts/build.mjs --if-stale,
// the same build `npm start` runs: esbuild, about 2 s). The commands' tests run it with node, as the
// image does: a start takes about 0.4 s, where tsx takes about 1 s compiling the sources every time.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
let built = false;

/** dist's compiled file for a source file under src/ ('src/cli.ts' → ROOT/dist/src/cli.js), built if stale. */
export function builtFile(source: string): string {
  if (!/^src\/.+\.ts$/.test(source)) throw new Error(`not a source under src/: ${source}`);
  if (!built) {
    // Once per test process: files are written whole (a temporary name, then renamed), so a build
    // another test starts later never leaves a command half a file to read.
    execFileSync(process.execPath, [resolve(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    built = true;
  }
  return resolve(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
}
