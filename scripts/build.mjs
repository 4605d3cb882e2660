// `npm run build`: compiles src/ to dist/src (tsc), copies the JSON files src/ reads at run time, and
// stamps dist/.built with the time the build began (`npm start` builds again when a source is newer).
import { spawnSync } from 'node:child_process';
import { utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join(ROOT, 'dist/.built');
export const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** What the build reads: a change to any of them makes dist/ stale. */
export const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/copy-assets.mjs'];

/** Returns null when built, or what failed. */
export function build() {
  const startedAt = new Date();
  for (const args of [[TSC, '-p', 'tsconfig.build.json'], [join(ROOT, 'scripts/copy-assets.mjs')]]) {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) return `${args[0] === TSC ? 'tsc' : 'copying assets'} failed (${r.signal ?? `exit ${r.status}`})`;
  }
  const content = compileContent();
  if (content) return content;
  // The start time, not the end: a source edited during the build makes the next start build again.
  writeFileSync(STAMP, '');
  utimesSync(STAMP, startedAt, startedAt);
  return null;
}

/**
 * Flows, texts and data checked in full and compiled into dist/content.json, which serve loads while
 * flows/, locales/, data/ and the code are still those it was made from. Returns null, or what failed.
 */
function compileContent() {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'flows:check', '--write', join(ROOT, 'dist/content.json')], { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0 ? null : `checking the flows failed (${r.signal ?? `exit ${r.status}`})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failed = build();
  if (failed) {
    process.stderr.write(`build: ${failed}\n`);
    process.exit(1);
  }
}
