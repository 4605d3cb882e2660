// `npm start`: the server, compiled, run by node itself (package.json execs it: no shell or tsx
// process in between), so SIGTERM and SIGINT reach the app. Builds first when dist/ is missing or
// older than the sources (a fresh clone, a pull, an edit); a production image that has dist/ but no
// sources or compiler runs what it has. Arguments after `--` go to `serve`; `worker` first runs the
// workers alone instead (`npm run worker`).
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, INPUTS, ROOT, STAMP, TSC } from './build.mjs';

const cli = join(ROOT, 'dist/src/cli.js');
const lock = join(ROOT, 'dist.building');

/** The newest modification time among the files the build reads. */
function newestInput() {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of INPUTS) visit(join(ROOT, p));
  return newest;
}

function stale() {
  if (!existsSync(cli) || !existsSync(STAMP)) return true;
  if (!existsSync(join(ROOT, 'src'))) return false;
  return newestInput() > statSync(STAMP).mtimeMs;
}

/** One build at a time (two servers started together from a fresh clone must not both write dist/). */
async function withLock(fn) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock left by a build that was killed: older than any build takes.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`another build has held ${lock} for 3 minutes`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function buildOrExplain() {
  if (!stale()) return;
  if (!existsSync(TSC)) {
    if (existsSync(cli)) return void process.stderr.write('npm start: the sources are newer than dist/ but no TypeScript compiler is installed; running the existing build\n');
    process.stderr.write('npm start: no build in dist/ and no TypeScript compiler here (install the dev dependencies, or run npm run build where they are)\n');
    process.exit(1);
  }
  process.stderr.write('npm start: building (tsc)…\n');
  const failed = build();
  if (failed) {
    process.stderr.write(`npm start: the build failed: ${failed}\n`);
    process.exit(1);
  }
}

// Run by npm and npm is gone (killed with SIGKILL, or its terminal closed): stop as on SIGTERM rather
// than go on serving unseen (npm itself passes SIGTERM and SIGINT on).
if (process.env.npm_lifecycle_event === 'start' || process.env.npm_lifecycle_event === 'worker') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000).unref();
}

if (stale()) await withLock(buildOrExplain);
// `node scripts/start.mjs worker`: the workers alone (npm run worker); anything else goes to serve.
const [first, ...more] = process.argv.slice(2);
process.argv = first === 'worker' ? [process.argv[0], cli, 'worker', ...more] : [process.argv[0], cli, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
