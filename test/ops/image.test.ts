// The deployment files kept true without a Docker engine. The Dockerfile, .dockerignore,
// docker-compose.yml, deploy/Caddyfile and .env.example are read and checked against the code; then the
// runtime target's files are laid out in a folder the way its COPY lines put them (the compiled code of
// this checkout, node_modules linked to this checkout's) and run the way the image runs them: its ENV,
// its CMD, and the commands the README gives for `docker compose exec`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOCKER_NODE_OPTIONS } from '../../bench/waspada-env.js';
import { CHANNELS } from '../../src/channels/registry.js';
import { ConfigError, loadConfig, requireServeConfig } from '../../src/config.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { ROOT } from '../helpers/cli.js';
import { DATA_KEY, dropPrefix, plainRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { SECRET, TOKEN, textUpdate } from '../helpers/telegram.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// ---------------------------------------------------------------- the Dockerfile, read

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  body: Instruction[];
}

/** The Dockerfile's stages, each with its instructions (continued lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s+([\s\S]*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args!.trim())!;
      stages.push({ from: m[1]!, name: m[2] ?? String(stages.length), body: [] });
    } else stages.at(-1)!.body.push({ op: op!.toUpperCase(), args: args!.trim() });
  }
  return stages;
}

const DOCKERFILE = parseDockerfile(read('Dockerfile'));
const stage = (name: string) => DOCKERFILE.find((s) => s.name === name) ?? expect.unreachable(`no stage ${name}`);
/** A stage and the stages it is built FROM, the first first. */
function chain(name: string): Stage[] {
  const s = stage(name);
  return DOCKERFILE.some((p) => p.name === s.from) ? [...chain(s.from), s] : [s];
}
const instructions = (name: string, op: string) => chain(name).flatMap((s) => s.body.filter((i) => i.op === op));
/** ENV KEY=VALUE pairs (values possibly quoted), as a stage and its parents set them. */
function envOf(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of instructions(name, 'ENV')) for (const m of i.args.matchAll(/([A-Z_][A-Z0-9_]*)=("([^"]*)"|\S+)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}
const workdir = (name: string) => instructions(name, 'WORKDIR').at(-1)?.args ?? '/';

interface Copy {
  from: string | null;
  sources: string[];
  /** Absolute, in the stage's file system. */
  dest: string;
  destIsDir: boolean;
}
/** A stage's COPY lines (its parents' first), destinations made absolute. */
function copiesOf(name: string): Copy[] {
  const out: Copy[] = [];
  let dir = '/';
  for (const s of chain(name)) {
    for (const i of s.body) {
      if (i.op === 'WORKDIR') dir = posix.resolve(dir, i.args);
      if (i.op !== 'COPY') continue;
      const words = i.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--'));
      const dest = paths.at(-1)!;
      out.push({ from, sources: paths.slice(0, -1), dest: posix.resolve(dir, dest), destIsDir: dest.endsWith('/') || paths.length > 2 });
    }
  }
  return out;
}

/** The default target: the last stage. */
const TARGET = DOCKERFILE.at(-1)!.name;

// ---------------------------------------------------------------- the runtime target, laid out

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);

/**
 * Puts what path `src` of stage `from` holds at `dest` on disk: what the stage's COPY lines put there,
 * or else what its RUN lines made, which in this checkout is the same path under the root (the build's
 * dist/, the content folders); node_modules is linked, not copied (a production-only install takes
 * longer than this test may).
 */
function materialize(from: string, src: string, dest: string): void {
  const copies = copiesOf(from).filter((c) => under(c.dest, src));
  if (copies.length) {
    for (const c of copies) place(c, join(dest, posix.relative(src, c.dest)));
    return;
  }
  const rel = posix.relative(workdir(from), src);
  expect(rel.startsWith('..'), `${src} of stage ${from} is outside its WORKDIR`).toBe(false);
  mkdirSync(dirname(dest), { recursive: true });
  if (rel === 'node_modules') symlinkSync(join(ROOT, 'node_modules'), dest);
  else {
    expect(existsSync(join(ROOT, rel)), `${rel} (made in stage ${from}) is not in this checkout`).toBe(true);
    cpSync(join(ROOT, rel), dest, { recursive: true });
  }
}

function place(c: Copy, dest: string): void {
  for (const src of c.sources) {
    if (c.from) {
      materialize(c.from, posix.resolve('/', src), dest);
      continue;
    }
    const file = join(ROOT, src);
    const target = c.destIsDir && !statSync(file).isDirectory() ? join(dest, basename(src)) : dest;
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target, { recursive: true });
  }
}

/** Lays out a target's file system under `root` (only what COPY puts there); returns its WORKDIR there. */
function layOut(target: string, root: string): string {
  for (const c of copiesOf(target)) place(c, join(root, c.dest));
  return join(root, workdir(target));
}

/** The packages the target's node_modules leave out of package.json's dependencies (npm pkg delete). */
function omittedPackages(target: string): string[] {
  const origin = copiesOf(target).find((c) => c.dest.endsWith('/node_modules'))!;
  return instructions(origin.from!, 'RUN').flatMap((i) => [...i.args.matchAll(/dependencies\[([^\]]+)\]/g)].map((m) => m[1]!));
}

/** Every npm package a compiled file names, with whether that is only in dynamic import()s. */
function importsOf(dir: string): Map<string, { file: string; dynamicOnly: boolean }[]> {
  const out = new Map<string, { file: string; dynamicOnly: boolean }[]>();
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.js')) {
        const code = readFileSync(p, 'utf8');
        const found = (re: RegExp) => [...code.matchAll(re)].map((m) => m[2]!);
        const stat = [...found(/^\s*(?:import|export)\s[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm), ...found(/^\s*import\s*(['"])([^'"]+)\1/gm), ...found(/\brequire(?:\.resolve)?\(\s*(['"])([^'"]+)\1\s*\)/g)];
        const dyn = found(/\bimport\(\s*(['"])([^'"]+)\1\s*\)/g);
        for (const spec of new Set([...stat, ...dyn])) {
          if (/^[./]/.test(spec) || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          out.set(pkg, [...(out.get(pkg) ?? []), { file: p.slice(dir.length + 1), dynamicOnly: !stat.includes(spec) }]);
        }
      }
    }
  };
  visit(dir);
  return out;
}

// ---------------------------------------------------------------- compose, the proxy, the settings

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` as compose resolves them, with only defaults known. */
const interpolate = (s: string) => s.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::?-([^}]*))?(?::?\?[^}]*)?\}/g, (_m, _name, def) => def ?? '');
const COMPOSE_TEXT = read('docker-compose.yml');
const COMPOSE = parse(COMPOSE_TEXT, { merge: true }) as any;
/** The variables docker-compose.yml reads from .env itself. */
const COMPOSE_VARS = new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);

/** The settings src/config.ts reads itself (the keys of its Base object) and those each channel declares. */
function settingNames(): Set<string> {
  const src = read('src/config.ts');
  const base = src.slice(src.indexOf('const Base = z.object({'), src.indexOf('\n});', src.indexOf('const Base = z.object({')));
  const own = [...base.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
  return new Set([...own, ...CHANNELS.flatMap((c) => Object.keys(c.settings))]);
}

/** The names .env.example lists, set (active) or shown commented out. */
function envExample(): { all: Set<string>; active: Set<string> } {
  const all = new Set<string>();
  const active = new Set<string>();
  for (const line of read('.env.example').split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!m) continue;
    all.add(m[2]!);
    if (!m[1]) active.add(m[2]!);
  }
  return { all, active };
}

/** .dockerignore's patterns as regular expressions over paths from the context's root. */
function dockerignore(): RegExp[] {
  return read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      expect(p.startsWith('!'), 'exceptions (!) are not read by this test').toBe(false);
      const body = p.replace(/^\/+|\/+$/g, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\0/g, '.*');
      return new RegExp(`^${body}$`);
    });
}
const ignored = (path: string, patterns: RegExp[]) => {
  const parts = path.replace(/^\.\//, '').replace(/\/$/, '').split('/');
  return parts.some((_, i) => patterns.some((re) => re.test(parts.slice(0, i + 1).join('/'))));
};

describe('the Dockerfile', () => {
  it('copies only what exists and .dockerignore lets through, from stages defined before, and keeps secrets and logins out', () => {
    const patterns = dockerignore();
    DOCKERFILE.forEach((s, n) => {
      for (const c of copiesOf(s.name)) {
        if (c.from) expect(DOCKERFILE.slice(0, n).map((p) => p.name), `COPY --from=${c.from} in ${s.name}`).toContain(c.from);
        else
          for (const src of c.sources) {
            expect(existsSync(join(ROOT, src)), `COPY ${src} (stage ${s.name})`).toBe(true);
            expect(ignored(src, patterns), `.dockerignore excludes ${src}, which stage ${s.name} copies`).toBe(false);
          }
      }
    });
    for (const secret of ['.env', '.env.production', 'data/whatsapp-web', 'node_modules', 'dist', '.git']) expect(ignored(secret, patterns), secret).toBe(true);
  });

  it('runs, by default, as node on node:20-bookworm-slim, without compiler, tsx or Chromium, stopping within its drain time', () => {
    const runtime = chain(TARGET);
    expect(runtime[0]!.from).toBe('node:20-bookworm-slim');
    expect(instructions(TARGET, 'USER').at(-1)?.args).toBe('node');
    expect(instructions(TARGET, 'RUN').map((i) => i.args).join('\n')).not.toMatch(/chromium/);
    // Its node_modules: a production install (typescript, which npm keeps as an optional peer, removed).
    const deps = copiesOf(TARGET).find((c) => c.dest === `${workdir(TARGET)}/node_modules`)!;
    const install = instructions(deps.from!, 'RUN').map((i) => i.args).join('\n');
    expect(install).toMatch(/npm ci --omit=dev/);
    expect(install).toMatch(/rm -rf node_modules\/typescript/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const tool of ['typescript', 'tsx', 'vitest']) expect(Object.keys(pkg.dependencies)).not.toContain(tool);
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['typescript', 'tsx']));
    // What the channels' settings and the benches read from it.
    expect(DOCKER_NODE_OPTIONS.length).toBeGreaterThan(0);
    expect(envOf(TARGET).NODE_OPTIONS).toBe(DOCKER_NODE_OPTIONS.join(' '));
    expect(envOf(TARGET).NODE_ENV).toBe('production');
    expect(instructions(TARGET, 'EXPOSE').at(-1)?.args).toBe(String(loadConfig({}).PORT));
    expect(instructions(TARGET, 'HEALTHCHECK').at(-1)?.args).toContain('/healthz');
    expect(instructions(TARGET, 'STOPSIGNAL').at(-1)?.args).toBe('SIGTERM');
    expect(JSON.parse(instructions(TARGET, 'CMD').at(-1)!.args)).toEqual(['node', 'dist/src/cli.js', 'serve']);
  });

  it('has a whatsapp-web target with Debian\'s Chromium where the channel looks for it, and its login outside the content folders', () => {
    const wweb = CHANNELS.find((c) => c.name === 'whatsapp-web')!;
    expect(instructions('whatsapp-web', 'RUN').map((i) => i.args).join('\n')).toMatch(/apt-get install .*\bchromium\b/);
    const env = envOf('whatsapp-web');
    expect(Object.keys(wweb.settings)).toEqual(expect.arrayContaining(['PUPPETEER_EXECUTABLE_PATH', 'WHATSAPP_WEB_DATA_DIR']));
    expect(env.PUPPETEER_EXECUTABLE_PATH).toBe('/usr/bin/chromium');
    // The content check hashes every file under flows/, locales/ and data/: a browser profile there
    // would make every start check everything in full.
    for (const dir of ['flows', 'locales', 'data']) expect(under(env.WHATSAPP_WEB_DATA_DIR!, `${workdir('whatsapp-web')}/${dir}`)).toBe(false);
    expect(COMPOSE.services.app.volumes).toContainEqual(expect.stringMatching(new RegExp(`^[\\w-]+:${env.WHATSAPP_WEB_DATA_DIR}$`)));
    // The same files as the default target, with whatsapp-web.js among its packages.
    expect(copiesOf('whatsapp-web').filter((c) => !c.dest.endsWith('node_modules'))).toEqual(copiesOf(TARGET).filter((c) => !c.dest.endsWith('node_modules')));
    expect(omittedPackages('whatsapp-web')).toEqual([]);
    expect(omittedPackages(TARGET)).toEqual(['whatsapp-web.js']);
  });
});

describe('docker-compose.yml and deploy/Caddyfile', () => {
  const services = COMPOSE.services;

  it('runs serve and worker from a target of the Dockerfile, after Redis is healthy, stopping after their drain time', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'caddy', 'redis', 'worker']);
    const drains = ['src/runtime.ts', 'src/worker.ts'].map((f) => Number(/close\(drainMs = (\d+)\)/.exec(read(f))?.[1]));
    for (const [name, command] of [['app', 'serve'], ['worker', 'worker']] as const) {
      const s = services[name];
      expect(s.command).toEqual(['node', 'dist/src/cli.js', command]);
      expect(interpolate(s.build.target)).toBe(TARGET);
      expect(s.build.target).toContain('WASPADA_TARGET');
      expect(s.depends_on.redis.condition).toBe('service_healthy');
      expect(s.init).toBe(true);
      for (const drain of drains) expect(seconds(s.stop_grace_period) * 1000).toBeGreaterThan(drain);
    }
    expect(DOCKERFILE.map((s) => s.name)).toContain('whatsapp-web');
    // The worker answers /healthz on METRICS_PORT, inside the network, and is checked there.
    const metricsPort = services.worker.environment.METRICS_PORT;
    expect(services.worker.expose).toEqual([metricsPort]);
    expect(services.worker.healthcheck.test.join(' ')).toContain(`127.0.0.1:${metricsPort}/healthz`);
    expect(services.worker.environment.REDIS_URL).toBe(services.app.environment.REDIS_URL);
    // app is reached only through the proxy, which alone publishes ports.
    expect(services.app.ports).toBeUndefined();
    expect(services.worker.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
    expect(services.app.environment.TRUST_PROXY).toBe('1');
  });

  it('runs Redis with the append-only file fsynced every second, no eviction and no snapshots, on a volume', () => {
    const redis = services.redis;
    const args = (redis.command as string[]).map(interpolate);
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(redis.image).toMatch(/^redis:7/);
    expect(value('--appendonly')).toBe('yes');
    expect(value('--appendfsync')).toBe('everysec');
    expect(value('--maxmemory-policy')).toBe('noeviction');
    expect(value('--save')).toBe('');
    expect(redis.command).toContain('--requirepass');
    const [volume, at] = (redis.volumes as string[])[0]!.split(':');
    expect(at).toBe('/data');
    expect(Object.keys(COMPOSE.volumes)).toContain(volume);
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    // The app's REDIS_URL carries the same password.
    expect(services.app.environment.REDIS_URL).toContain(redis.command[redis.command.indexOf('--requirepass') + 1]);
  });

  it('puts Caddy on 443 in front, passing on the webhooks and the staff console only (not /metrics or /healthz)', () => {
    const caddy = services.caddy;
    expect(caddy.ports).toContain('443:443');
    const mount = (caddy.volumes as string[]).find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    const file = mount.split(':')[0]!;
    const text = read(file);
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const matchers = lines.filter((l) => /^@\w+\s+path\s/.test(l));
    expect(matchers).toHaveLength(1);
    const [, name, paths] = /^@(\w+)\s+path\s+(.*)$/.exec(matchers[0]!)!;
    expect(paths!.split(/\s+/).sort()).toEqual(['/staff', '/staff/*', '/webhooks/telegram', '/webhooks/whatsapp']);
    // Each webhook is a route a channel serves.
    const channels = readdirSync(join(ROOT, 'src/channels')).map((f) => readFileSync(join(ROOT, 'src/channels', f), 'utf8')).join('\n');
    for (const p of paths!.split(/\s+/).filter((x) => x.startsWith('/webhooks/'))) expect(channels).toContain(`'${p}'`);
    // One reverse_proxy, inside the handle of that matcher; everything else is answered 404.
    expect(lines.filter((l) => l.startsWith('reverse_proxy'))).toHaveLength(1);
    expect(lines[lines.findIndex((l) => l.startsWith('reverse_proxy')) - 1]).toBe(`handle @${name} {`);
    expect(lines.join('\n')).toMatch(/handle \{\nrespond 404\n\}/);
    expect(lines.join('\n')).not.toMatch(/metrics|healthz/);
    // The variables it reads come from compose.
    for (const m of text.matchAll(/\{\$([A-Z_][A-Z0-9_]*)\}/g)) expect(Object.keys(caddy.environment)).toContain(m[1]);
  });

  it('.env.example lists every setting of the app and of compose, nothing else, and sets none that compose sets', () => {
    const settings = settingNames();
    // A sanity check of what was read from src/config.ts.
    expect([...settings]).toEqual(expect.arrayContaining(['REDIS_URL', 'HASH_SECRET', 'DATA_ENCRYPTION_KEY', 'DATA_ENCRYPTION_KEYS_OLD', 'BROADCAST_QUIET_HOURS', 'TELEGRAM_BOT_TOKEN']));
    const { all, active } = envExample();
    for (const name of all) expect(settings.has(name) || COMPOSE_VARS.has(name), `${name} in .env.example is no setting`).toBe(true);
    for (const name of settings) expect(all.has(name), `${name} is missing from .env.example`).toBe(true);
    for (const name of COMPOSE_VARS) {
      expect(all.has(name), `${name} (docker-compose.yml) is missing from .env.example`).toBe(true);
      // .env reaches the app too (env_file): a compose variable must not be a setting of the app's.
      expect(settings.has(name), `${name} is read by compose and by the app`).toBe(false);
    }
    // What compose sets itself is shown commented out (a value in .env would be overridden).
    for (const name of Object.keys(services.app.environment)) expect(active.has(name), name).toBe(false);
    // Every setting serve insists on (for every channel) is there to fill in, or set by compose or the image.
    let required: string[] = [];
    try {
      requireServeConfig(loadConfig({ CHANNELS: CHANNELS.map((c) => c.name).join(',') }));
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      required = (e as Error).message.split('\n').map((l) => /^([A-Z][A-Z0-9_]*):/.exec(l)?.[1]).filter((n): n is string => Boolean(n));
    }
    expect(required).toEqual(expect.arrayContaining(['HASH_SECRET', 'DATA_ENCRYPTION_KEY', 'TELEGRAM_BOT_TOKEN']));
    const given = new Set([...active, ...Object.keys(services.app.environment), ...Object.keys(envOf('whatsapp-web'))]);
    for (const name of required) expect(given.has(name), `${name}: needed by serve, not in .env.example`).toBe(true);
    // No value that looks like a secret.
    for (const line of read('.env.example').split('\n')) if (/^[A-Z].*(SECRET|TOKEN|KEY|PASSWORD)[A-Z_]*=/.test(line)) expect(line).toMatch(/=$/);
  });
});

describe('the runtime image\'s files, laid out and run as the image runs them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waspada-image-'));
  const prefix = testPrefix('image');
  let app: string;
  let fake: FakeTelegram;
  /** The image's environment (its ENV lines) and nothing of this test process's but PATH and HOME. */
  const imageEnv = (more: Record<string, string>) => ({ PATH: process.env.PATH!, HOME: process.env.HOME!, ...envOf(TARGET), ...more });
  const secrets = () => ({ REDIS_URL, REDIS_PREFIX: prefix, HASH_SECRET: 'image-hash-secret-0123456789', DATA_ENCRYPTION_KEY: DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });

  /** Runs a command of the image (`node ...` as in its CMD) in the laid-out folder. */
  function run(args: string[], env: Record<string, string>, cwd = app) {
    const child = spawn(args[0] === 'node' ? process.execPath : args[0]!, args.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exited, out: () => ({ stdout, stderr }) };
  }
  const finished = async (args: string[], env: Record<string, string>, cwd?: string) => {
    const r = run(args, env, cwd);
    const code = await r.exited;
    return { code, ...r.out() };
  };

  beforeAll(async () => {
    // dist/ as `npm run build` makes it (the image's build stage), built here only if the sources changed.
    const built = await finished(['node', join(ROOT, 'scripts/build.mjs'), '--if-stale'], { ...process.env } as Record<string, string>, ROOT);
    expect(built.code, built.stderr).toBe(0);
    app = layOut(TARGET, dir);
    fake = await startFakeTelegram({ token: TOKEN });
  }, 180_000);
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
    const r = plainRedis();
    await dropPrefix(r, prefix);
    r.disconnect();
  });

  it('holds the compiled code, the content it was checked against and package.json, and no sources', () => {
    expect(readdirSync(app).sort()).toEqual(['data', 'dist', 'flows', 'locales', 'node_modules', 'package.json']);
    expect(existsSync(join(app, JSON.parse(instructions(TARGET, 'CMD').at(-1)!.args)[1]))).toBe(true);
    expect(existsSync(join(app, 'dist/content.json'))).toBe(true);
    for (const cmd of [COMPOSE.services.worker.command, COMPOSE.services.app.command] as string[][]) expect(existsSync(join(app, cmd[1]!))).toBe(true);
  });

  it('imports, from the compiled code, only packages of `dependencies`, and those the image leaves out only when they are needed', () => {
    const deps = Object.keys((JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    const imports = importsOf(join(app, 'dist/src'));
    expect(imports.has('ioredis')).toBe(true);
    for (const [pkg, where] of imports) expect(deps, `${pkg}, imported by ${where.map((w) => w.file).join(', ')}`).toContain(pkg);
    for (const pkg of omittedPackages(TARGET)) {
      expect(imports.get(pkg)?.length, `${pkg} is imported nowhere`).toBeGreaterThan(0);
      for (const w of imports.get(pkg)!) expect(w.dynamicOnly, `${w.file} imports ${pkg} when it is loaded`).toBe(true);
    }
  });

  it('serves from the compiled content in production, answers a webhook, and exits 0 on SIGTERM', async () => {
    const cmd = JSON.parse(instructions(TARGET, 'CMD').at(-1)!.args) as string[];
    const server = run(cmd, imageEnv({ ...secrets(), PORT: '0', LOG_LEVEL: 'info' }));
    const port = () => /"port":(\d+)/.exec(server.out().stdout)?.[1];
    await expect.poll(() => port() ?? (server.child.exitCode !== null ? server.out().stderr : undefined), { timeout: 15_000 }).toMatch(/^\d+$/);
    const health = await fetch(`http://127.0.0.1:${port()}/healthz`);
    expect(health.status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port()}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(5151, 'tolong')),
    });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.sent(5151).length === 1, 10_000);
    server.child.kill('SIGTERM');
    expect(await server.exited, server.out().stderr).toBe(0);
    // The bundle the build made matches the content laid out beside it: nothing was read again in full.
    expect(server.out().stdout).not.toContain('content read and checked in full');
    expect(server.out().stdout).toContain('"signal":"SIGTERM"');
  }, 30_000);

  it('refuses to serve in production with Redis unreachable or not given, saying so', async () => {
    const cmd = JSON.parse(instructions(TARGET, 'CMD').at(-1)!.args) as string[];
    // npm start as well (scripts/start.mjs): beside a dist/ with no sources it runs what is built, as
    // in a checkout once built (test/channels/serve.test.ts tests its building).
    const started = join(dir, 'npm-start');
    for (const f of ['package.json', 'dist', 'flows', 'locales', 'data']) cpSync(join(app, f), join(started, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(started, 'node_modules'));
    for (const f of ['scripts/start.mjs', 'scripts/build.mjs']) cpSync(join(ROOT, f), join(started, f));
    const [unreachable, none, npmStart] = await Promise.all([
      finished(cmd, imageEnv({ ...secrets(), REDIS_URL: 'redis://127.0.0.1:1/0', PORT: '0' })),
      finished(cmd, imageEnv({ ...secrets(), REDIS_URL: '', PORT: '0' })),
      finished(['npm', 'start', '--silent'], imageEnv({ ...secrets(), REDIS_URL: 'redis://127.0.0.1:1/0', PORT: '0' }), started),
    ]);
    for (const r of [unreachable, npmStart]) {
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1/0');
    }
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/REDIS_URL: needed to serve/);
  }, 60_000);

  it('runs the commands the README gives for the image: the worker, the Telegram webhook, staff accounts, the hotline, agencies, broadcasts', async () => {
    const env = imageEnv({ ...secrets(), LOG_LEVEL: 'info' });
    const worker = run(COMPOSE.services.worker.command as string[], env);
    const [hook, badPort, staff, hotline, agencies, broadcast, templates] = await Promise.all([
      finished(['node', 'dist/src/cli.js', 'telegram:set-webhook', '--url', 'https://waspada.example.org/webhooks/telegram'], env),
      finished(['node', 'dist/src/cli.js', 'telegram:set-webhook', '--url', 'https://waspada.example.org:3000/webhooks/telegram'], env),
      finished(['node', 'dist/src/staff/console-cli.js', 'list-users'], env),
      finished(['node', 'dist/src/staff/cli.js', 'list'], env),
      finished(['node', 'dist/src/agencies/cli.js', 'status'], env),
      finished(['node', 'dist/src/broadcast/cli.js', '--help'], env),
      // The WhatsApp Cloud API's templates file, read from where the compiled code looks for it.
      finished(['node', '-e', "import('./dist/src/channels/whatsapp-cloud-render.js').then((m) => console.log(Object.keys(m.readTemplates()).join(',')))"], env),
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout).toContain('webhook set: https://waspada.example.org/webhooks/telegram');
    expect(fake.webhook).toEqual(expect.objectContaining({ url: 'https://waspada.example.org/webhooks/telegram', secret: SECRET }));
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('ports 443, 80, 88, 8443');
    for (const r of [staff, hotline, agencies, broadcast]) expect(r.code, r.stderr).toBe(0);
    expect(templates.code, templates.stderr).toBe(0);
    expect(templates.stdout).toMatch(/message_waiting/);
    await expect.poll(() => worker.out().stdout.includes('waspada worker running') || worker.child.exitCode !== null, { timeout: 15_000 }).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.out().stderr).toBe(0);
  }, 30_000);
});
