/**
 * Benchmark of the engine on typed words (no buttons): many sessions each type a script of words
 * (commands, typed choice labels and typos of them, a country and a typo of it, answers that are
 * no choice), through step() and the rendering of its replies, as the webhook path does after the
 * session is loaded. Pure CPU: no Redis, no HTTP. Prints CPU microseconds per step (engine alone,
 * and engine + rendering) and a digest of every rendered reply, so two versions can be shown to
 * answer alike.
 *
 * Run directly: `node --max-old-space-size=128 --max-semi-space-size=2 --import tsx bench/typed-words.ts`
 * (the production heap; BENCH_SESSIONS=<n> for more or fewer sessions); from code: `await
 * benchTypedWords()`. Before/after: copy this file into a worktree of the older commit
 * (`git worktree add /tmp/old <commit>`, node_modules linked) and run it there too.
 */
import { createHash } from 'node:crypto';
import { loadContent } from '../src/content/index.js';
import { step } from '../src/engine/step.js';
import { newSession, type Session } from '../src/engine/types.js';

/** The brief's words: at the privacy question none of them is an answer (retries, then the start again). */
export const TYPED_SCRIPT = ['/start', 'lapor', 'Siti Aminah', 'Kamboja', 'dua minggu lalu'];
/** Going through the menus by typing labels, typos of labels and a country. */
export const NAVIGATION_SCRIPT = [
  '/start', 'setuju lanjut', 'panduan', 'negara tujuan', 'Kamboja', 'topik lain', 'negra tujuan', 'Kambodia', 'kembali ke menu', 'lapor',
  'Siti Aminah', 'dua minggu lalu', 'menu', 'bahasa & data saya', 'ganti bahas',
];

export async function benchTypedWords(opts: { sessions?: number } = {}): Promise<Record<string, number | string>> {
  const sessions = opts.sessions ?? Number(process.env.BENCH_SESSIONS ?? 2000);
  const content = loadContent();
  const { bundle, renderer } = content;
  const digest = createHash('sha256');
  const DAY = 86_400_000;

  /** Runs every session through the script; with `render`, renders the replies too. Returns steps run. */
  const run = (script: string[], count: number, render: boolean, hash: boolean): number => {
    let steps = 0;
    for (let u = 0; u < count; u++) {
      let at = DAY * 10 + u;
      let s: Session = newSession(at);
      for (const text of script) {
        at += 1000;
        const r = step(bundle, s, { kind: 'text', text, at, langHint: 'id' });
        s = r.session;
        steps++;
        if (render) {
          const lang = s.lang ?? 'id';
          for (const reply of r.replies) {
            const out = renderer.reply(lang, reply);
            if (hash) digest.update(out.text).update(JSON.stringify(out.choices ?? null));
          }
        }
      }
    }
    return steps;
  };

  const measure = (script: string[], render: boolean) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const steps = run(script, sessions, render, false);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wall: wall / steps, cpu: (cpu.user + cpu.system) / 1000 / steps };
  };

  // The digest of what is said, once per script (the same answers before and after a change).
  run(TYPED_SCRIPT, 1, true, true);
  run(NAVIGATION_SCRIPT, 1, true, true);
  // Warm-up (JIT) of every path measured, before any is measured.
  for (const script of [TYPED_SCRIPT, NAVIGATION_SCRIPT]) for (const render of [false, true]) run(script, Math.min(500, sessions), render, false);
  const typedEngine = measure(TYPED_SCRIPT, false);
  const typedAll = measure(TYPED_SCRIPT, true);
  const navEngine = measure(NAVIGATION_SCRIPT, false);
  const navAll = measure(NAVIGATION_SCRIPT, true);
  const f = (x: number) => +(x * 1000).toFixed(2);
  return {
    sessions,
    typed_engine_us_per_step: f(typedEngine.cpu),
    typed_render_us_per_step: f(typedAll.cpu),
    nav_engine_us_per_step: f(navEngine.cpu),
    nav_render_us_per_step: f(navAll.cpu),
    nav_render_wall_us_per_step: f(navAll.wall),
    replies_digest: digest.digest('hex').slice(0, 16),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchTypedWords().then((f) => console.log(JSON.stringify(f, null, 2)));
}
