// `npm start`: the server, compiled, run by node itself (package.json execs it: no shell or tsx
// process in between), so SIGTERM and SIGINT reach the app. Builds first when dist/ is missing or
// older than the sources (a fresh clone, a pull, an edit); a production image that has dist/ but no
// sources or compiler runs what it has. Arguments after `--` go to `serve`; `worker` first runs the
// workers alone instead (`npm run worker`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilerInstalled, NO_COMPILER_EXIT, ROOT, stale } from './build.mjs';

const cli = join(ROOT, 'dist/src/cli.js');

/** Without a compiler that runs here: the build dist/ has, if any (with a warning), else exit 1. */
function withoutCompiler(why) {
  if (existsSync(cli)) return void process.stderr.write(`npm start: the sources are newer than dist/ but ${why}; running the existing build\n`);
  process.stderr.write(`npm start: no build in dist/ and ${why} (install the dev dependencies with npm ci, or run npm run build where they are)\n`);
  process.exit(1);
}

function buildOrExplain() {
  if (!compilerInstalled()) return withoutCompiler('no compiler (esbuild) is installed');
  process.stderr.write('npm start: building…\n');
  // In a process of its own (which takes the build lock and builds unless another process just did):
  // the compiler's service and memory end with it instead of staying with the server.
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  // esbuild installed but unable to run (a binary for another platform): not the sources' fault.
  if (r.status === NO_COMPILER_EXIT) return withoutCompiler('the compiler (esbuild) cannot run here');
  if (r.status !== 0) {
    process.stderr.write(`npm start: the build failed (${r.signal ?? `exit ${r.status}`})\n`);
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

if (stale()) buildOrExplain();
// `node scripts/start.mjs worker`: the workers alone (npm run worker); anything else goes to serve.
const [first, ...more] = process.argv.slice(2);
process.argv = first === 'worker' ? [process.argv[0], cli, 'worker', ...more] : [process.argv[0], cli, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
