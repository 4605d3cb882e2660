import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/flow.js';
import { IDLE_RESET_MS, step } from '../../src/engine/step.js';
import { newSession, type Input, type Reply, type Session } from '../../src/engine/types.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';

const bundle = bundleFrom(WORLD);
const T0 = Date.UTC(2026, 10, 25, 8, 0);

function keys(replies: Reply[]): string[] {
  return replies.flatMap((r) => r.say.map((s) => ('key' in s ? s.key : 'contacts' in s ? `contacts:${s.contacts}` : `facts:${s.facts}`)));
}

/** Drives the engine like the service does, answering effects with the given outcomes. */
function talk(session: Session, inputs: (string | Partial<Input>)[], opts: { at?: number; effects?: Record<string, { outcome: string; data?: Record<string, string> }> } = {}) {
  let s = session;
  const all: Reply[] = [];
  const effects: string[] = [];
  const at = opts.at ?? T0;
  for (const i of inputs) {
    const input = (typeof i === 'string' ? { kind: 'text', text: i, at } : { at, ...i }) as Input;
    let r = step(bundle, s, input);
    all.push(...r.replies);
    while (r.effects.length) {
      const e = r.effects[0]!;
      effects.push(`${e.type}(${JSON.stringify(e.args)})`);
      const res = opts.effects?.[e.type] ?? { outcome: 'ok' };
      r = step(bundle, r.session, { kind: 'effect', effect: e.type, at, ...res });
      all.push(...r.replies);
    }
    s = r.session;
  }
  return { session: s, replies: all, keys: keys(all), effects, last: all[all.length - 1] };
}

const onboarded = (): Session => talk(newSession(T0), ['hi', 'id', 'agree']).session;
const last = (r: { replies: Reply[] }) => r.replies[r.replies.length - 1]!;

describe('engine: first contact', () => {
  it('asks for the language when the platform gives no hint, then shows the privacy notice', () => {
    const r = talk(newSession(T0), ['halo']);
    expect(r.keys).toEqual(['w.lang']);
    const r2 = talk(r.session, ['en']);
    expect(r2.session.lang).toBe('en');
    expect(r2.keys).toEqual(['w.privacy']);
  });

  it('takes the language from the platform hint and skips the question', () => {
    const r = step(bundle, newSession(T0), { kind: 'text', text: 'halo', at: T0, langHint: 'id-ID' });
    expect(r.session.lang).toBe('id');
    expect(keys(r.replies)).toEqual(['w.privacy']);
  });

  it('shows the menu once the user agrees, and keeps the consent', () => {
    const r = talk(newSession(T0), ['hi', 'id', 'agree']);
    expect(r.session.consent).toBe(true);
    expect(r.keys.at(-1)).toBe('m.title');
  });

  it('leaves the user outside any flow when they decline, and greets them again next time', () => {
    const r = talk(newSession(T0), ['hi', 'en', 'decline']);
    expect(r.session.at).toBeNull();
    expect(r.session.consent).toBe(false);
    expect(talk(r.session, ['hello']).keys).toEqual(['w.privacy']);
  });
});

describe('engine: step kinds', () => {
  it('say: its items, with variables filled from the session, go into the same message as the next question', () => {
    const s = onboarded();
    s.vars.name = 'Siti';
    const r = talk(s, ['2']);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.say).toEqual([{ key: 'g.one' }, { key: 'g.two', vars: { who: 'Siti' } }, { contacts: ['hotline'] }, { key: 'g.country' }]);
  });

  it('a prompt ends the message: what follows the answer starts a new one', () => {
    const r = talk(onboarded(), ['2', 'Taiwan']);
    expect(r.replies.map((x) => x.say.map((s) => ('key' in s ? s.key : 'contacts')))).toEqual([
      ['g.one', 'g.two', 'contacts', 'g.country'],
      ['g.fine', 'm.title'],
    ]);
  });

  it('choice: a button press, a typed number, the label text and a typo of it all choose', () => {
    const s = onboarded();
    const turn = s.turn;
    expect(talk(s, [{ kind: 'choice', id: 'guide', turn }]).keys[0]).toBe('g.one');
    expect(talk(s, ['2']).keys[0]).toBe('g.one');
    expect(talk(s, ['panduan migrasi aman']).keys[0]).toBe('g.one');
    expect(talk(s, ['Panduan migrasi amna']).keys[0]).toBe('g.one');
    expect(talk(s, ['panduan']).keys[0]).toBe('g.one');
    expect(talk(s, ['Safe migration guide']).keys[0]).toBe('g.one');
  });

  it('choice: an answer that matches nothing re-asks with the choices and a hint', () => {
    const r = talk(onboarded(), ['9']);
    expect(r.keys).toEqual(['engine.hint.choice']);
    expect(r.last!.choices?.map((c) => c.id)).toEqual(['check', 'guide', 'sub']);
    expect(r.replies[0]!.say[0]).toEqual({ key: 'engine.hint.choice', vars: { count: 3 } });
  });

  it('choice: a longer typed text that is no choice goes to the step named by `text`, as its answer', () => {
    const b = bundleFrom({
      ...WORLD,
      guide: `
spec_version: 1
id: guide
start: ask
steps:
  ask:
    type: input
    say: [g.ask]
    input: { type: text, store: offer, max: 2000 }
    next: done
  done:
    type: choice
    say: [g.done]
    text: ask
    choices:
      - { id: again, label: l.again, next: ask }
      - { id: back, label: l.back, next: "@end" }
`,
    });
    const s = step(b, onboarded(), { kind: 'text', text: '2', at: T0 }).session;
    const first = step(b, s, { kind: 'text', text: 'the first offer', at: T0 });
    expect(keys(first.replies)).toEqual(['g.done']);
    const offer = 'A second offer, pasted right after the first verdict: long enough to be a text and not a mistyped choice at all.';
    const second = step(b, first.session, { kind: 'text', text: offer, at: T0 });
    expect(keys(second.replies)).toEqual(['g.done']);
    expect(second.session.vars.offer).toBe(offer);
    for (const short of ['hmm', 'apakah PT ini terdaftar di BP2MI?']) {
      expect(keys(step(b, first.session, { kind: 'text', text: short, at: T0 }).replies)).toEqual(['engine.hint.choice']);
    }
  });

  it('choice: a longer typed text that is no choice is told the step\'s `long` text, with the choices again; a short one gets the hint', () => {
    const b = bundleFrom({ ...WORLD, main: WORLD.main!.replace('    say: [m.title]\n', '    say: [m.title]\n    long: m.long\n') });
    const s = step(b, onboarded(), { kind: 'text', text: '9', at: T0 }).session;
    const story = 'My brother went to work on a fishing boat last year and we have had no news of him for three months now.';
    const r = step(b, s, { kind: 'text', text: story, at: T0 });
    expect(keys(r.replies)).toEqual(['m.long']);
    expect(r.replies.at(-1)!.choices?.map((c) => c.id)).toEqual(['check', 'guide', 'sub']);
    expect(r.session.at).toEqual({ flow: 'main', step: 'menu' });
    expect(keys(step(b, s, { kind: 'text', text: 'hmm', at: T0 }).replies)).toEqual(['engine.hint.choice']);
    // Beside `text` or `other`, which take the answer first, it would never be said: refused.
    const both = parseFlow('main.yaml', WORLD.main!.replace('    say: [m.title]\n', '    say: [m.title]\n    long: m.long\n    other: sub\n'));
    expect(both.problems.map((p) => p.message).join('\n')).toMatch(/`long` is never said/);
  });

  it('choice: a button from an earlier prompt is called stale and the current prompt is shown again', () => {
    const s = onboarded();
    const r = talk(s, [{ kind: 'choice', id: 'guide', turn: s.turn - 1 }]);
    expect(r.keys).toEqual(['engine.stale', 'm.title']);
    expect(r.session.at).toEqual({ flow: 'main', step: 'menu' });
  });

  it('input: after three wrong answers the user is taken to the menu', () => {
    const s = talk(onboarded(), ['1']).session;
    const r1 = talk(s, ['x'.repeat(21)]);
    expect(r1.keys).toEqual(['a.name_hint']);
    const r3 = talk(s, ['x'.repeat(21), '🙂🙂', '!!!']);
    expect(r3.keys).toEqual(['a.name_hint', 'a.name_hint', 'engine.too_many_failures', 'm.title']);
    expect(r3.session.at).toEqual({ flow: 'main', step: 'menu' });
    expect(r3.session.failures).toBe(0);
  });

  it('after being taken back to the menu, a wrong answer there gets the hint again', () => {
    const r = talk(onboarded(), ['x', 'y', 'z', 'w']);
    expect(r.keys).toEqual(['engine.hint.choice', 'engine.hint.choice', 'engine.too_many_failures', 'm.title', 'engine.hint.choice']);
  });

  it('input: text, phone, date and yes/no answers are validated and stored in normal form', () => {
    const r = talk(onboarded(), ['1', 'Siti Aminah', '0812 3456 7890', '17 Agustus 2024', 'iya']);
    expect(r.session.vars).toMatchObject({ name: 'Siti Aminah', phone: '+6281234567890', when: '2024-08-17', sure: true });
  });

  it('input: a date in the future is refused when the step asks for a past date', () => {
    const s = talk(onboarded(), ['1', 'Siti', '081234567890']).session;
    const r = talk(s, ['1 Januari 2099']);
    expect(r.keys).toEqual(['engine.hint.date']);
    expect(r.session.vars.when).toBeUndefined();
  });

  it('input: a country is recognised by either language name or a typo, and stored as its code', () => {
    const s = talk(onboarded(), ['2']).session;
    expect(talk(s, ['Kamboja']).session.vars.dest).toBe('KH');
    expect(talk(s, ['cambodia']).keys).toContain('g.risky');
    expect(talk(s, ['Malaysa']).session.vars.dest).toBe('MY');
    expect(talk(s, ['Narnia']).keys).toEqual(['engine.hint.country']);
  });

  it('branch: goes to the matching case, else to the default', () => {
    const s = talk(onboarded(), ['2']).session;
    expect(talk(s, ['Taiwan']).keys.slice(0, 1)).toEqual(['g.fine']);
    expect(talk(s, ['Kamboja']).keys.slice(0, 1)).toEqual(['g.risky']);
  });

  it('effect: asks for the effect with arguments from the session and branches on the outcome', () => {
    const ok = talk(onboarded(), ['1', 'Siti', '081234567890', '1 Mei 2024', 'ya'], { effects: { save: { outcome: 'ok', data: { ref: 'K-7' } } } });
    expect(ok.effects).toEqual(['save({"name":"Siti","fixed":3})']);
    expect(ok.replies.find((r) => r.say.some((s) => 'key' in s && s.key === 'a.saved'))!.say[0]).toEqual({ key: 'a.saved', vars: { ref: 'K-7' } });
    expect(ok.session.vars['saved.ref']).toBe('K-7');
    const failed = talk(onboarded(), ['1', 'Siti', '081234567890', '1 Mei 2024', 'ya'], { effects: { save: { outcome: 'error' } } });
    expect(failed.keys).toContain('a.failed');
  });

  it('effect: messages composed by the effect are shown as separate messages before the next step', () => {
    const s = talk(onboarded(), ['1', 'Siti', '081234567890', '1 Mei 2024']).session;
    const before = step(bundle, s, { kind: 'text', text: 'ya', at: T0 }).session;
    const r = step(bundle, before, { kind: 'effect', effect: 'save', outcome: 'ok', at: T0, data: { ref: 'K-1' }, say: [[{ key: 'x.one' }], [{ key: 'x.two' }, { key: 'x.three', vars: { v: '$name' } }]] });
    expect(r.replies.map((x) => x.say)).toEqual([[{ key: 'x.one' }], [{ key: 'x.two' }, { key: 'x.three', vars: { v: '$name' } }], [{ key: 'a.saved', vars: { ref: 'K-1' } }, { key: 'm.title' }]]);
  });

  it('effect: an outcome the step does not list goes to its error branch', () => {
    const r = talk(onboarded(), ['1', 'Siti', '081234567890', '1 Mei 2024', 'ya'], { effects: { save: { outcome: 'weird' } } });
    expect(r.keys).toContain('a.failed');
  });

  it('effect: a result for an effect the session is not waiting for changes nothing', () => {
    const s = onboarded();
    const r = step(bundle, s, { kind: 'effect', effect: 'save', outcome: 'ok', at: T0 });
    expect(r.replies).toEqual([]);
    expect(r.session).toEqual(s);
  });

  it('effect: when the result never came back, the next message runs the step again', () => {
    const s = talk(onboarded(), ['1', 'Siti', '081234567890', '1 Mei 2024']).session;
    const r = step(bundle, s, { kind: 'text', text: 'ya', at: T0 });
    expect(r.effects).toHaveLength(1);
    const again = step(bundle, r.session, { kind: 'text', text: 'halo?', at: T0 });
    expect(again.effects).toEqual(r.effects);
  });

  it('call: runs the other flow and continues after it ends', () => {
    const r = talk(onboarded(), ['3', 'Taiwan']);
    expect(r.keys).toEqual(['g.one', 'g.two', 'contacts:hotline', 'g.country', 'g.fine', 'm.after_call', 'm.title']);
    expect(r.session.stack).toEqual([]);
  });

  it('end: with nothing to return to, the user is back at the main menu', () => {
    const r = talk(onboarded(), ['2', 'Taiwan']);
    expect(r.keys.slice(-2)).toEqual(['g.fine', 'm.title']);
  });

  it('set: changes the language, the consent or a variable', () => {
    const r = talk(newSession(T0), ['hi', 'en']);
    expect(r.session.lang).toBe('en');
    expect(talk(r.session, ['agree']).session.consent).toBe(true);
  });
});

describe('engine: global intents', () => {
  it.each(['tolong', 'TOLONGGG!!', 'tolomg', 'darurat', 'help', 'HELP!', 'sos', 'SOS', 'S.O.S', 'tolong saya', 'help me please', 'tolong, paspor saya ditahan'])(
    'the emergency word "%s" interrupts a question and shows the emergency flow',
    (word) => {
      const s = talk(onboarded(), ['1']).session;
      const r = talk(s, [word]);
      expect(r.keys).toEqual(['e.help', 'contacts:hotline']);
      expect(r.session.stack).toEqual([{ flow: 'ask', step: 'name' }]);
    },
  );

  it('after an emergency the user can continue where they were', () => {
    const s = talk(onboarded(), ['1', 'Siti']).session;
    const r = talk(s, ['tolong', 'continue']);
    expect(r.keys.at(-1)).toBe('a.phone');
    expect(r.session.at).toEqual({ flow: 'ask', step: 'phone' });
    expect(r.session.vars.name).toBe('Siti');
  });

  it('"menu" from the emergency screen leaves the interrupted flow behind', () => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, ['tolong', 'menu']);
    expect(r.session.stack).toEqual([]);
    expect(r.session.at).toEqual({ flow: 'main', step: 'menu' });
  });

  it('a second emergency word inside the emergency flow does not stack another way back', () => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, ['tolong', 'tolong', 'tolong', 'bahasa', 'bahasa']);
    expect(r.session.stack).toEqual([{ flow: 'ask', step: 'name' }, { flow: 'emergency', step: 'show' }]);
    const back = talk(r.session, ['id', 'continue']);
    expect(back.session.at).toEqual({ flow: 'ask', step: 'name' });
  });

  it('going back and forth between emergency and language never buries the question the user was on', () => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, ['tolong', 'bahasa', 'tolong', 'bahasa', 'tolong', 'bahasa', 'tolong']);
    expect(r.session.stack).toEqual([{ flow: 'ask', step: 'name' }]);
    expect(talk(r.session, ['continue']).session.at).toEqual({ flow: 'ask', step: 'name' });
  });

  it('a long plea at a step that asked for no text starts the emergency flow', () => {
    const story = `${'Saya bekerja di pabrik, gaji tidak dibayar tiga bulan. '.repeat(6)}Tolong saya.`;
    const r = talk(onboarded(), [story]);
    expect(r.keys).toEqual(['e.help', 'contacts:hotline']);
    expect(r.session.at).toEqual({ flow: 'emergency', step: 'show' });
  });

  it('an emergency word works before the user has chosen a language or agreed', () => {
    const r = talk(newSession(T0), ['SOS']);
    expect(r.keys).toEqual(['e.help', 'contacts:hotline']);
  });

  it('a long message asking for help is an emergency; a job offer that says "tolong hubungi" is not', () => {
    const s = talk(onboarded(), ['1']).session;
    expect(talk(s, ['tolong saya dikurung majikan di rumah dan paspor saya ditahan']).keys[0]).toBe('e.help');
    const roomy = bundleFrom({ ...WORLD, ask: WORLD.ask!.replace('max: 20', 'max: 2000') });
    for (const text of ['Lowongan kerja, tolong hubungi admin', 'tolong cek lowongan ini']) {
      const r = step(roomy, s, { kind: 'text', text, at: T0 });
      expect(keys(r.replies)).toEqual(['a.phone']);
      expect(r.session.vars.name).toBe(text);
    }
  });

  it('a long text with a plea in it shows the emergency contacts first, and is still taken as the answer', () => {
    const ask = talk(onboarded(), ['1']).session;
    const story = `${'Saya bekerja di pabrik, gaji tidak dibayar tiga bulan. '.repeat(6)}Tolong saya.`;
    const long = bundleFrom({ ...WORLD, ask: WORLD.ask!.replace('max: 20', 'max: 2000') });
    const r = step(long, ask, { kind: 'text', text: story, at: T0 });
    expect(keys(r.replies)).toEqual(['engine.emergency_alert', 'contacts:hotline', 'a.phone']);
    expect(r.session.vars.name).toBe(story);
  });

  it.each([['menu'], ['MENU'], ['menu utama'], ['main menu'], ['/menu']])('"%s" goes to the main menu from any step', (word) => {
    const s = talk(onboarded(), ['1', 'Siti']).session;
    const r = talk(s, [word]);
    expect(r.keys).toEqual(['m.title']);
    expect(r.session.stack).toEqual([]);
  });

  it.each([['bahasa'], ['language'], ['ganti bahasa'], ['/bahasa'], ['bahsa']])('"%s" changes the language and returns to the question', (word) => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, [word, 'en']);
    expect(r.session.lang).toBe('en');
    expect(r.keys).toEqual(['lang.ask', 'lang.done', 'a.name']);
  });

  it.each([['stop'], ['STOP'], ['berhenti'], ['/stop']])('"%s" ends the conversation; the next message starts at the menu', (word) => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, [word]);
    expect(r.keys).toEqual(['s.bye']);
    expect(r.session.at).toBeNull();
    expect(talk(r.session, ['halo']).keys).toEqual(['m.title']);
  });

  it.each([['hapus data'], ['delete my data'], ['/hapus'], ['hapus dta']])('"%s" asks to confirm, then asks for the forget effect', (word) => {
    const s = talk(onboarded(), ['1']).session;
    const r = talk(s, [word, 'yes']);
    expect(r.keys).toEqual(['f.confirm', 'f.done']);
    expect(r.effects).toEqual(['forget({})']);
    expect(r.session.at).toBeNull();
  });

  it('declining to delete returns to the question the user was on', () => {
    const s = talk(onboarded(), ['1']).session;
    expect(talk(s, ['hapus data', 'no']).keys).toEqual(['f.confirm', 'a.name']);
  });

  it('/start and "mulai" start over at the menu and drop stored answers', () => {
    const s = talk(onboarded(), ['1', 'Siti']).session;
    const r = talk(s, ['/start']);
    expect(r.keys).toEqual(['m.title']);
    expect(r.session.vars).toEqual({});
    expect(talk(s, ['mulai']).keys).toEqual(['m.title']);
  });

  it('words that only look like an intent are answers, not intents', () => {
    const s = talk(onboarded(), ['1']).session;
    for (const name of ['Helena', 'Stopa', 'Menuk', 'hello']) {
      expect(talk(s, [name]).session.vars.name).toBe(name);
    }
  });
});

describe('engine: time and broken state', () => {
  it('a session abandoned for more than 24 hours restarts cleanly at the menu', () => {
    const s = talk(onboarded(), ['1', 'Siti']).session;
    const r = talk(s, ['0812345678'], { at: T0 + IDLE_RESET_MS + 1 });
    expect(r.keys).toEqual(['engine.welcome_back', 'm.title']);
    expect(r.session.vars).toEqual({});
    expect(r.session.lang).toBe('id');
  });

  it('a session 23 hours old continues where it was', () => {
    const s = talk(onboarded(), ['1', 'Siti']).session;
    expect(talk(s, ['081234567890'], { at: T0 + 23 * 3600_000 }).keys).toEqual(['a.when']);
  });

  it('a session pointing at a step that no longer exists starts again at the menu', () => {
    const s = onboarded();
    s.at = { flow: 'main', step: 'removed_step' };
    expect(talk(s, ['1']).keys).toEqual(['engine.restart', 'm.title']);
    s.at = { flow: 'gone', step: 'x' };
    expect(talk(s, ['1']).keys).toEqual(['engine.restart', 'm.title']);
  });

  it('a flow that loops without waiting is stopped with an error instead of hanging', () => {
    const loop = bundleFrom({
      ...WORLD,
      main: `
spec_version: 1
id: main
start: a
steps:
  a: { type: set, set: { x: 1 }, next: b }
  b: { type: set, set: { x: 2 }, next: a }
`,
    });
    const s = onboarded();
    s.at = null;
    const r = step(loop, s, { kind: 'text', text: 'hi', at: T0 });
    expect(keys(r.replies)).toEqual(['engine.error']);
    expect(r.session.at).toBeNull();
  });

  it('does not change the session it was given', () => {
    const s = onboarded();
    const copy = JSON.parse(JSON.stringify(s));
    talk(s, ['1', 'Siti']);
    expect(s).toEqual(copy);
  });
});

describe('engine: "/status" (what one is subscribed to)', () => {
  const withStatus = { ...bundle, intents: { ...bundle.intents, subscription: 'guide' } };
  const at = (b: typeof bundle, s: Session, text: string) => step(b, s, { kind: 'text', text, at: T0 });

  it('enters the subscription flow from anywhere and comes back to the question after it', () => {
    const asked = talk(onboarded(), ['check']).session;
    expect(asked.at).toEqual({ flow: 'ask', step: 'name' });
    const r = at(withStatus, asked, '/status');
    expect(keys(r.replies)).toContain('g.country');
    expect(r.session.stack).toEqual([{ flow: 'ask', step: 'name' }]);
  });

  it('is no command where the content has no subscription flow: the words are the step’s to handle', () => {
    const asked = talk(onboarded(), ['check']).session;
    const r = at(bundle, asked, 'status langganan');
    expect(r.session.at).toEqual({ flow: 'ask', step: 'phone' });
    expect(r.session.vars.name).toBe('status langganan');
  });
});
