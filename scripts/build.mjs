// `npm run build`: compiles src/ to dist/src (esbuild, one file to one file: what tsx runs in
// development, with source maps), copies the JSON files src/ reads at run time, checks and compiles
// the content (dist/content.json), and stamps dist/.built with the time the build began (`npm start`
// builds again when a source is newer). `--typecheck` first checks the types of src/ with tsc (`npm
// run build`, as the Dockerfile runs it; `npm test` checks the TypeScript of src/, test/, bench/ and
// scripts/ before the tests; tsconfig's isolatedModules keeps out what a file-by-file compiler cannot
// compile). Each file, and each JSON file copied beside them, is written to a temporary name and
// renamed, so a process starting meanwhile reads the old file or the new one, never half of one. One
// build at a time (the lock dist.building). `--if-stale`: only when dist/ is missing or older than a
// source (as `npm start` decides; tests that run the built code use it).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join(ROOT, 'dist/.built');
export const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const require = createRequire(import.meta.url);
/** The compiler the build uses, or null where it is not installed (a production install). */
export function esbuild() {
  try {
    return require('esbuild');
  } catch {
    return null;
  }
}
/** Whether the compiler is installed (without loading it). */
export function compilerInstalled() {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}
/** What the build reads: a change to any of them makes dist/ stale. */
export const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'];
const CLI = join(ROOT, 'dist/src/cli.js');
const LOCK = join(ROOT, 'dist.building');
/**
 * The exit code of a build whose compiler could not run at all (not installed, or installed for
 * another platform, as when node_modules comes from another system): not a fault of the sources, so
 * `npm start` may run a dist/ it already has, where a source that does not compile stops it.
 */
export const NO_COMPILER_EXIT = 3;
class NoCompiler extends Error {}

/**
 * The newest modification time among the files the build reads and their folders (a file deleted or
 * renamed changes its folder's time: dist/ then still holds its compiled file, which the build removes).
 */
function newestInput() {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return;
    newest = Math.max(newest, s.mtimeMs);
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
  };
  for (const p of INPUTS) visit(join(ROOT, p));
  return newest;
}

/** Whether dist/ is missing or older than a source (an image without sources runs what it has). */
export function stale() {
  if (!existsSync(CLI) || !existsSync(STAMP)) return true;
  if (!existsSync(join(ROOT, 'src'))) return false;
  return newestInput() > statSync(STAMP).mtimeMs;
}

/** Whether the process that wrote the build lock has ended (false when it cannot tell). */
function holderGone() {
  let pid;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
}

/** One build at a time (two servers started together from a fresh clone must not both write dist/). */
export async function withBuildLock(fn) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock left by a build that was killed (Ctrl-C, kill -9): its process is gone, or it is older
      // than any build takes. (A lock whose process id is not written yet is a build just starting.)
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000 || holderGone()) rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`another build has held ${LOCK} for 3 minutes`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

/** Returns null when built, or what failed. `typecheck`: check the types of src/ (tsc) first. */
export function build({ typecheck = false } = {}) {
  const startedAt = new Date();
  if (typecheck) {
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--noEmit'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) return `the type check (tsc) failed (${r.signal ?? `exit ${r.status}`})`;
  }
  const compiled = compile();
  if (compiled) return compiled;
  try {
    copyAssets();
  } catch (e) {
    return `copying assets failed: ${e.message}`;
  }
  const content = compileContent();
  if (content) return content;
  // The start time, not the end: a source edited during the build makes the next start build again.
  writeFileSync(STAMP, '');
  utimesSync(STAMP, startedAt, startedAt);
  return null;
}

// Every src/ .ts file to its dist/src .js (and .js.map), as tsconfig.build.json says (target, class fields).
function compile() {
  const es = esbuild();
  if (!es) throw new NoCompiler('esbuild is not installed (install the dev dependencies)');
  // Outside the compiler's try: a source folder that cannot be read is the sources' fault, not esbuild's.
  const entryPoints = filesUnder(join(ROOT, 'src'), (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  let out;
  try {
    // buildSync starts esbuild's service (a worker thread and an esbuild process, ~85 MB): stopped
    // below, or a process that builds and goes on running would keep it.
    out = es.buildSync({
      entryPoints,
      outdir: join(ROOT, 'dist/src'),
      outbase: join(ROOT, 'src'),
      tsconfig: join(ROOT, 'tsconfig.build.json'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      // Maps point at src/ (file and line in stack traces) without carrying the sources into dist/ and the image.
      sourcesContent: false,
      write: false,
      logLevel: 'silent',
    });
  } catch (e) {
    // A source that does not compile comes with esbuild's list of errors (file and line); anything
    // else is esbuild itself failing to run (a binary for another platform, a broken install).
    if (!Array.isArray(e.errors)) throw new NoCompiler(`esbuild could not run (${e.message.split('\n')[0]}); reinstall the dependencies on this machine (npm ci)`);
    return `compiling failed: ${e.message}`;
  } finally {
    es.stop?.();
  }
  try {
    for (const f of out.outputFiles) writeWhole(f.path, f.contents);
    dropOrphans();
  } catch (e) {
    return `writing dist/ failed: ${e.message}`;
  }
  return null;
}

/**
 * Removes what dist/src holds for a source that is gone (a .js and its map, or a JSON file copied
 * from src/): a module deleted or renamed must not live on in dist/ and the image, importable by
 * mistake.
 */
function dropOrphans() {
  const dist = join(ROOT, 'dist/src');
  if (!existsSync(dist)) return;
  for (const file of filesUnder(dist, (name) => /\.(js|js\.map|json)$/.test(name))) {
    const rel = relative(dist, file);
    const source = rel.endsWith('.json') ? rel : rel.replace(/\.js(\.map)?$/, '.ts');
    if (!existsSync(join(ROOT, 'src', source))) rmSync(file, { force: true });
  }
}

/** The files under `dir`, at any depth, whose names `keep` accepts. */
function filesUnder(dir, keep) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : []));
}

/**
 * Copies the JSON files src/ reads at run time (the checker's model, prefilter and reference wages)
 * beside the compiled code in dist/src, each written whole and only when it changed.
 */
export function copyAssets() {
  for (const file of filesUnder(join(ROOT, 'src'), (name) => name.endsWith('.json'))) {
    const to = join(ROOT, 'dist', relative(ROOT, file));
    const contents = readFileSync(file);
    if (!existsSync(to) || !readFileSync(to).equals(contents)) writeWhole(to, contents);
  }
}

/** Writes `path` under a temporary name and renames it: a process reading it meanwhile gets the old file or the new one. */
export function writeWhole(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Flows, texts and data checked in full and compiled into dist/content.json, which serve loads while
 * flows/, locales/, data/ and the code are still those it was made from. Returns null, or what failed.
 */
function compileContent() {
  const r = spawnSync(process.execPath, [CLI, 'flows:check', '--write', join(ROOT, 'dist/content.json')], { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0 ? null : `checking the flows failed (${r.signal ?? `exit ${r.status}`})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const typecheck = process.argv.includes('--typecheck');
  let failed;
  try {
    failed = await withBuildLock(() => (ifStale && !stale() ? null : build({ typecheck })));
  } catch (e) {
    if (!(e instanceof NoCompiler)) throw e;
    process.stderr.write(`build: ${e.message}\n`);
    process.exit(NO_COMPILER_EXIT);
  }
  if (failed) {
    process.stderr.write(`build: ${failed}\n`);
    process.exit(1);
  }
}
