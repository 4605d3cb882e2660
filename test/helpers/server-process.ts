// Runs Waspada's server as a separate process (so tests can kill it for real) and waits until it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DOCKER_NODE_OPTIONS } from '../../bench/waspada-env.js';
import { ROOT } from './cli.js';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** The Node options the Docker image runs with (read from the Dockerfile). */
export const PRODUCTION_NODE_OPTIONS: string[] = DOCKER_NODE_OPTIONS;

export async function startServerProcess(env: Record<string, string>, nodeOptions: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', resolve(ROOT, 'test/helpers/serve-with-faults.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 30 s: ${stderr}`)), 30_000);
    void exited.then((code) => rej(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    });
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, exited, kill: (signal) => void child.kill(signal) };
}
