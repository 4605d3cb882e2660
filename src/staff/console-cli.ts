// Accounts of the staff web console from a terminal: `npm run --silent staff -- <command>`. Whoever
// has the server's REDIS_URL is an admin here. A new account has no password: the command prints a
// one-time sign-in link (24 hours) with which the person sets theirs, or reads one from standard input.
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, requireRedis } from '../config.js';
import { connectRedis } from '../store/redis.js';
import { AccountError, checkPassword, LINK_TTL_MS, StaffAccounts } from './accounts.js';
import { parseCommand, UsageError } from './cli.js';
import { BadStaff } from './tokens.js';

export const USAGE = `usage: npm run --silent staff -- <command>
  add-user --name NAME --role agent|campaign|admin [--password-stdin]
                                 a new account; prints its one-time sign-in link (24 hours),
                                 or with --password-stdin sets the password read from standard input
  list-users [--json]            the accounts: name, role, state (never a password)
  disable-user --name NAME       NAME can no longer sign in; their sessions end at once
  reset-link --name NAME         a new one-time sign-in link for NAME (their previous link stops
                                 working; a disabled account is enabled again by it)
Needs REDIS_URL (the server's). Links start with STAFF_CONSOLE_URL, else http://127.0.0.1:PORT.`;

const say = (text: string) => process.stdout.write(`${text}\n`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One line: the password, without its line ending.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Runs one command; resolves with the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseCommand('staff', USAGE, argv, {
    name: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
  } as const);
  if (typeof parsed === 'number') return parsed;
  const { o, command } = parsed;
  let close = () => {};
  try {
    if (!['add-user', 'list-users', 'disable-user', 'reset-link'].includes(command)) throw new UsageError(`unknown command "${command}"`);
    if (command !== 'list-users' && !o.name) throw new UsageError('--name NAME is needed');
    if (command === 'add-user' && !o.role) throw new UsageError('--role agent|campaign|admin is needed');
    const config = loadConfig(env);
    const target = requireRedis(config, '(the accounts live in Redis; the server\'s, e.g. redis://127.0.0.1:6379/0)');
    const base = (config.STAFF_CONSOLE_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '');
    const link = (token: string) => `${base}/staff/welcome?token=${token}`;
    const hours = LINK_TTL_MS / 3600_000;
    const redis = await connectRedis(target);
    close = () => redis.disconnect();
    const accounts = new StaffAccounts(redis, config.REDIS_PREFIX);
    // The audit log names who ran the command: "cli:" and their login name.
    const by = `cli:${userInfo().username}`;
    switch (command) {
      case 'add-user': {
        const password = o['password-stdin'] ? await readStdin() : null;
        // Checked before the account is made: none is left waiting for a link nobody saw.
        if (password !== null) checkPassword(password);
        const token = await accounts.add(o.name!, o.role!, by);
        if (password !== null) {
          await accounts.setPassword(o.name!, password, by);
          say(`${o.name}: account made (${o.role}); they sign in at ${base}/staff/sign-in`);
        } else {
          say(link(token));
          process.stderr.write(`staff: account ${o.name} (${o.role}) made; give them this link (it works once, for ${hours} hours) to set their password\n`);
        }
        break;
      }
      case 'reset-link': {
        say(link(await accounts.resetLink(o.name!, by)));
        process.stderr.write(`staff: a new sign-in link for ${o.name} (works once, for ${hours} hours); any earlier link no longer works\n`);
        break;
      }
      case 'disable-user': {
        const had = await accounts.disable(o.name!, by);
        if (!had) throw new AccountError('unknown', `there is no account named ${o.name}`);
        say(`${o.name}: disabled (they can no longer sign in; reset-link enables them again)`);
        break;
      }
      case 'list-users': {
        const all = await accounts.list();
        if (o.json) say(JSON.stringify({ accounts: all }));
        else if (!all.length) say('no account yet (add-user makes one)');
        else for (const a of all) say(`${a.name.padEnd(20)} ${a.role.padEnd(8)} ${a.state.padEnd(11)} since ${new Date(a.createdAt).toISOString().slice(0, 10)}`);
        break;
      }
    }
    return 0;
  } catch (e) {
    let message: string;
    if (e instanceof BadStaff) message = `${e.field}: ${e.message}`;
    else if (e instanceof UsageError) message = `${e.message}\n${USAGE}`;
    else message = (e as Error).message ?? String(e);
    process.stderr.write(`staff: ${message}\n`);
    return 1;
  } finally {
    close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
