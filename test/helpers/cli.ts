// Runs the project's commands as processes, compiled (test/helpers/built.ts), feeding standard input.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { builtFile } from './built.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export function runCli(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('src/cli.ts', args, input, { ...process.env, REDIS_URL: '', LOG_LEVEL: 'silent', ...env });
}

/** The hotline staff CLI (npm run hotline), with only the environment given (and PATH, HOME). */
export function runHotline(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('src/staff/cli.ts', args, '', { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env });
}

/** The staff console's accounts CLI (npm run staff), with only the environment given (and PATH, HOME). */
export function runStaff(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('src/staff/console-cli.ts', args, input, { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env });
}

/** The broadcast CLI (npm run broadcast), with only the environment given (and PATH, HOME). */
export function runBroadcast(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('src/broadcast/cli.ts', args, '', { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env });
}

function run(file: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [builtFile(file), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
