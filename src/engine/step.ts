// step(): one user input in, the next session, the replies and the effects out. Pure.
import type { Bundle, Flow } from './flow.js';
import { langFromHint, readIntent, type Intent } from './intents.js';
import type { Runtime, SayItem } from './kind.js';
import { INPUT_TYPES, parseYesNo } from './inputs.js';
import { keywordForms, labelForms, type LabelForms } from './labels.js';
import { FLOW_TARGET, TARGET_END, TARGET_IDLE, varRef } from './names.js';
import { isNumberAnswer, matchChoice } from './steps/choice.js';
import { KINDS } from './steps/index.js';
import { dropTransient } from './transient.js';
import {
  PICTURE_FAILURES,
  LANGS, MEDIA_KINDS, type Effect, type Input, type Lang, type MediaKind, type Position, type Reply, type Say, type Session,
  type StepResult, type Value, type Vars,
} from './types.js';

type Message = Extract<Input, { kind: 'text' | 'choice' }>;
type Media = Extract<Input, { kind: 'media' }>;
type Reading = { intent: Intent | null; alert: boolean; phrase?: boolean };
const NOTHING_READ: Reading = { intent: null, alert: false };

/** The question asked when a likely job offer comes while a question waits for something else. */
const OFFER_CHOICES = [
  { id: 'yes', label: 'engine.offer.yes', next: '' },
  { id: 'no', label: 'engine.offer.no', next: '' },
];

/** What Waspada says to each kind of media: pictures ask for the offer's text; the rest say what it can do. */
function mediaSays(kind: MediaKind): Say[] {
  const known = (MEDIA_KINDS as readonly string[]).includes(kind) ? kind : 'other';
  if (known === 'photo' || known === 'image') return [{ key: 'engine.media.picture' }];
  return [{ key: `engine.media.${known}` }, { key: 'engine.media.can' }];
}

/** The variable where the emergency screen keeps where the person is (a country code): alerts use it too. */
export const HERE_VAR = 'here';
/** A choice of the main menu asked for before the menu could be shown (see Runtime.keepMenuChoice). */
export const AHEAD_VAR = 'ahead';

export const IDLE_RESET_MS = 24 * 60 * 60 * 1000;
export const MAX_FAILURES = 3;
/** Ways back kept at most (flows calling flows, interruptions). */
export const MAX_STACK = 8;
/** Steps run in one call at most; more means a loop in a flow. */
const MAX_TRANSITIONS = 200;

/** The targets besides a step id (they live in names.ts, where the step kinds can reach them too). */
export { FLOW_TARGET, TARGET_END, TARGET_IDLE };

class Run implements Runtime {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  /** An emergency alert was given or an urgent flow was entered in this run. */
  urgent = false;
  private next: Position | null = null;
  private open: Reply | null = null;
  /** An answer handed over to the next step (see handOver). */
  private carry: Input | null = null;
  /**
   * The text being handled is a caption: an answer it does not give is not counted as a failure
   * (the person sent a picture or a file, and was just told what to do); the question is shown again.
   */
  private lenient = false;

  constructor(
    private readonly bundle: Bundle,
    readonly session: Session,
    readonly now: number,
  ) {}

  get lang(): Lang {
    return this.session.lang ?? 'id';
  }
  get countries() {
    return this.bundle.countries;
  }
  get regions() {
    return this.bundle.regions;
  }
  keywords(key: string): readonly string[] {
    return keywordForms(this.bundle, key);
  }

  labels(key: string): LabelForms {
    return labelForms(this.bundle, key);
  }

  private flow(id: string): Flow | undefined {
    return this.bundle.flows.get(id);
  }

  private resolve(item: SayItem): Say {
    if (typeof item === 'string') return { key: item };
    if ('key' in item && item.vars) {
      const vars: Vars = {};
      for (const [k, v] of Object.entries(item.vars)) {
        const ref = varRef(v);
        vars[k] = ref === undefined ? v : (this.get(ref) ?? '');
      }
      return { key: item.key, vars };
    }
    if ('contacts' in item && item.near !== undefined) {
      const place = this.get(varRef(item.near)!);
      return { contacts: item.contacts, near: typeof place === 'string' ? place : null };
    }
    return item as Say;
  }

  /**
   * Everything said until the user is asked something goes into one message (prompts close it), so a
   * turn is usually one chat message: fewer messages against the platforms' per-chat limits.
   * Messages an effect composes stay separate.
   */
  say(items: readonly SayItem[]): void {
    this.emit(items.map((i) => this.resolve(i)));
  }

  emit(says: readonly Say[]): void {
    if (!says.length) return;
    if (!this.open) {
      this.open = { say: [] };
      this.replies.push(this.open);
    }
    this.open.say.push(...says);
  }

  close(): void {
    this.open = null;
  }

  prompt(items: readonly SayItem[], choices?: { id: string; label: string }[]): void {
    this.session.turn += 1;
    this.say(items);
    if (choices && this.open) {
      this.open.choices = choices;
      this.open.turn = this.session.turn;
    }
    this.close();
  }

  retry(hint: Say, choices?: { id: string; label: string }[], giveUp?: () => void): void {
    if (this.lenient) return this.again();
    this.session.failures += 1;
    if (this.session.failures >= MAX_FAILURES && giveUp) {
      // Not the whole way back for one question: a family half-way through a report keeps what they gave.
      this.say([{ key: 'engine.skipped_after_failures' }]);
      this.session.failures = 0;
      return giveUp();
    }
    if (this.session.failures >= MAX_FAILURES) {
      this.say([{ key: 'engine.too_many_failures' }]);
      this.session.failures = 0;
      this.session.stack = [];
      this.restart();
      return;
    }
    this.answer(hint, choices);
  }

  answer(text: Say, choices?: { id: string; label: string }[]): void {
    if (this.lenient) return this.again();
    const reply: Reply = { say: [text] };
    if (choices) {
      reply.choices = choices;
      reply.turn = this.session.turn;
    }
    this.replies.push(reply);
  }

  /** Says so and shows the current prompt again, in the same message. */
  stale(): void {
    this.say([{ key: 'engine.stale' }]);
    if (this.session.at) this.next = { ...this.session.at };
  }

  alert(): void {
    this.urgent = true;
    // Where the person said they are (the emergency screen's question): that country's missions first.
    const here = this.session.vars[HERE_VAR];
    this.emit([{ key: 'engine.emergency_alert' }, { contacts: [...this.bundle.emergencyContacts], near: typeof here === 'string' ? here : null }]);
    this.close();
  }

  /** Runs the current step again from its start. */
  again(): void {
    if (this.session.at) this.next = { ...this.session.at };
    else this.restart();
  }

  go(target: string): void {
    if (target === TARGET_END) return this.end();
    if (target === TARGET_IDLE) {
      this.session.at = null;
      this.session.stack = [];
      this.next = null;
      return;
    }
    if (target.startsWith(FLOW_TARGET)) {
      const flow = target.slice(FLOW_TARGET.length);
      // Going to the main menu leaves everything behind, as the "menu" intent does.
      if (flow === this.bundle.menu) this.session.stack = [];
      return this.enterFlow(flow);
    }
    const at = this.session.at;
    if (!at) return this.restart();
    this.next = { flow: at.flow, step: target };
  }

  handOver(target: string, input: Input): void {
    this.go(target);
    this.carry = input;
  }

  call(flow: string, returnTo: string): void {
    const at = this.session.at;
    if (at) this.session.stack.push({ flow: at.flow, step: returnTo });
    this.enterFlow(flow);
  }

  private enterFlow(id: string): void {
    const flow = this.flow(id);
    if (!flow) return this.broken();
    this.next = { flow: id, step: flow.start };
    if (id === this.bundle.menu) this.goAhead();
  }

  /** The main menu's choices (its first step's), when that step is a choice. */
  private menuChoices(): readonly { id: string; label: string; next: string }[] | undefined {
    const flow = this.flow(this.bundle.menu);
    const first = flow?.steps[flow.start];
    return first ? KINDS[first.type]?.choices?.(first) : undefined;
  }

  /** The main menu's choice `text` names by its words (a number means a place in the list shown, not the menu's). */
  private menuChoiceNamed(text: string): { id: string; next: string } | undefined {
    const choices = this.menuChoices();
    return choices && !isNumberAnswer(text) ? matchChoice(this, choices, text, true) : undefined;
  }

  keepMenuChoice(text: string): boolean {
    const picked = this.menuChoiceNamed(text);
    // The first asked for stays kept: a later word ("lapor", then "laporan saya") is answered the same.
    if (picked && this.session.vars[AHEAD_VAR] === undefined) this.session.vars[AHEAD_VAR] = picked.id;
    return picked !== undefined;
  }

  goToMenuChoice(text: string): boolean {
    const here = this.session.at && this.flow(this.session.at.flow);
    if (!this.session.consent || !here || here.story || here.urgent || here.id === this.bundle.menu) return false;
    const picked = this.menuChoiceNamed(text);
    if (!picked) return false;
    this.session.stack = [];
    this.takeMenuChoice(picked);
    return true;
  }

  /** Reaching the main menu with a choice kept for it: straight there instead of the menu's question. */
  private goAhead(): void {
    const kept = this.session.vars[AHEAD_VAR];
    // Only once they have agreed (the emergency screen's "main menu" leads here before that): kept till then.
    if (kept === undefined || !this.session.consent) return;
    delete this.session.vars[AHEAD_VAR];
    const picked = this.menuChoices()?.find((c) => c.id === kept);
    if (picked) this.takeMenuChoice(picked);
  }

  /** Where a choice of the main menu leads, taken from anywhere. */
  private takeMenuChoice(picked: { next: string }): void {
    if (picked.next.startsWith(FLOW_TARGET) || picked.next === TARGET_END || picked.next === TARGET_IDLE) this.go(picked.next);
    else this.next = { flow: this.bundle.menu, step: picked.next };
  }

  effect(effect: Effect): void {
    this.close();
    this.session.pending = effect.type;
    this.effects.push(effect);
  }

  set(name: string, value: Value): void {
    if (name === 'lang') {
      if (LANGS.includes(value as Lang)) this.session.lang = value as Lang;
      return;
    }
    if (name === 'consent') {
      this.session.consent = value === true;
      return;
    }
    if (name === 'safety') {
      if (value === true) this.session.safety = true;
      else delete this.session.safety;
      return;
    }
    this.session.vars[name] = value;
  }

  get(name: string): Value | undefined {
    if (name === 'lang') return this.session.lang;
    if (name === 'consent') return this.session.consent;
    if (name === 'safety') return this.session.safety === true;
    return this.session.vars[name];
  }

  end(): void {
    const back = this.session.stack.pop();
    if (back) this.next = back;
    else this.restart();
  }

  /** To the main menu, or to the welcome for someone who has not agreed to the privacy notice yet. */
  restart(): void {
    this.enterFlow(this.startFlow());
  }

  private startFlow(): string {
    return this.session.lang && this.session.consent ? this.bundle.menu : this.bundle.entry;
  }

  /** The session points at a flow or step that no longer exists (flows changed since): start afresh. */
  broken(): void {
    this.session.stack = [];
    this.session.at = null;
    this.session.pending = null;
    this.say([{ key: 'engine.restart' }]);
    // Not restart(): a missing start flow would bring us back here.
    const id = this.startFlow();
    const flow = this.flow(id);
    this.next = flow ? { flow: id, step: flow.start } : null;
  }

  current() {
    const at = this.session.at;
    if (!at) return undefined;
    const step = this.flow(at.flow)?.steps[at.step];
    return step ? { at, step, kind: KINDS[step.type]! } : undefined;
  }

  resume(input: Input): void {
    const cur = this.current();
    if (!cur) return this.broken();
    if (!cur.kind.resume) {
      this.next = { ...cur.at };
      return;
    }
    cur.kind.resume(this, cur.step, input);
  }

  /**
   * Before entering an interrupting flow (emergency, language, an offer to check): keeps the way back
   * to where the user is, so the flow's end returns there. Asking again for a flow the user is in, or
   * came from ("tolong", "bahasa", "tolong"), goes back to it instead of stacking another way back;
   * the stack is bounded in any case.
   */
  private keepWayBack(flow: string): void {
    const s = this.session;
    const earlier = s.stack.findIndex((p) => p.flow === flow);
    if (earlier >= 0) s.stack.length = earlier;
    else if (s.at && s.at.flow !== flow && this.current()?.kind.waits) this.pushBack({ ...s.at });
  }

  private pushBack(p: Position): void {
    const s = this.session;
    s.stack.push(p);
    if (s.stack.length > MAX_STACK) s.stack.splice(0, s.stack.length - MAX_STACK);
  }

  intent(intent: Intent): void {
    const s = this.session;
    switch (intent) {
      case 'exit':
        // Ends the conversation at once: nothing of it is kept (only the language, the consent and
        // safety mode itself), and the chat is cleared where the platform lets the bot.
        s.at = null;
        s.stack = [];
        s.vars = {};
        s.pending = null;
        delete s.heldOffer;
        s.exitAt = this.now;
        this.close();
        this.replies.push({ say: [{ key: 'engine.exit.manual' }], clear: true });
        return;
      case 'emergency':
      case 'language':
      case 'forget':
      case 'safety':
      case 'subscription': {
        const flow = this.bundle.intents[intent];
        if (!flow) return this.restart();
        this.keepWayBack(flow);
        this.enterFlow(flow);
        return;
      }
      case 'stop':
        s.stack = [];
        this.enterFlow(this.bundle.intents.stop);
        return;
      case 'start':
        s.vars = {};
      // falls through
      case 'menu':
        s.stack = [];
        this.restart();
        return;
    }
  }

  /**
   * A message from the person: a global intent, the answer to "check this as an offer?", a likely job
   * offer, or the current step's answer. `read` is the intent reading of the text, when done already.
   */
  receive(input: Message, held: string | undefined, read: Reading = input.kind === 'text' ? readIntent(input.text) : NOTHING_READ): void {
    const s = this.session;
    let intent = read.intent;
    const cur = s.at ? this.current() : undefined;
    const flow = cur ? this.flow(cur.at.flow) : undefined;
    // Someone telling what happened (a report's question asking for text): a plea or a harm inside
    // their answer is part of it ("adik saya disekap majikan"), and so is what reads like a job offer.
    // The emergency contacts come first (unless the flow is itself the urgent one); only a message that
    // is nothing but an intent ("tolong", "menu") is taken as one.
    const telling = Boolean(flow?.story && cur?.kind.takesText && input.kind === 'text' && !input.picture && !(intent && read.phrase));
    if (telling) {
      if (intent === 'emergency' || read.alert) {
        if (!flow!.urgent) this.alert();
        else this.urgent = true;
      }
      intent = null;
    } else if (read.alert) {
      // A long text with a plea in it (a story, or an offer that happens to say "tolong saya"): the
      // emergency contacts come first, and the text is still handled (an offer is still checked).
      // Only a step that asked for a text (an offer to check) gets it too; anywhere else it is a
      // plea, even when it also looks like an offer: the emergency flow first.
      if (cur?.kind.takesText) this.alert();
      else intent = 'emergency';
    }
    // Without a flow for it, "/status" is no command: the text is the step's to handle.
    if (intent === 'subscription' && !this.bundle.intents.subscription) intent = null;
    // The exit word means something only in safety mode; elsewhere "x" is just what was typed.
    if ((intent === 'exit' && !s.safety) || (intent === 'safety' && !this.bundle.intents.safety)) intent = null;
    if (intent) return this.intent(intent);
    if (held !== undefined && this.answerHeld(input, held)) return;
    const offer = !telling && input.kind === 'text' && input.offer === true && this.bundle.intents.offer !== undefined ? input.text : undefined;
    if (!s.at) {
      if (offer !== undefined) return this.checkOffer(offer);
      return this.restart();
    }
    if (s.pending) {
      // An effect's result never came back (the process stopped mid-step): run the step again.
      s.pending = null;
      return this.again();
    }
    if (offer !== undefined) {
      // The offer flow's own question takes it, and so does a step that hands long texts on itself.
      const own = cur && (cur.kind.takesText ? cur.at.flow === this.bundle.intents.offer : cur.kind.takesLongText?.(cur.step));
      if (cur && !own) return cur.kind.takesText ? this.askOffer(offer) : this.checkOffer(offer);
    }
    this.resume(input);
  }

  /**
   * Hands a likely job offer to the offer flow. After the verdict the person goes back to where they
   * were ("back"); someone who has not agreed to the privacy notice yet (a new person whose first
   * message is an offer) gets the verdict first and the welcome right after it.
   */
  private checkOffer(text: string): void {
    const s = this.session;
    const flow = this.bundle.intents.offer!;
    if (!s.at) {
      // Outside any flow, someone who has not agreed yet goes on to the welcome after the verdict
      // (the offer flow ends there for them); anyone else gets the offer flow's choices.
      const entry = this.flow(this.bundle.entry);
      if (this.startFlow() === this.bundle.entry && entry) this.pushBack({ flow: this.bundle.entry, step: entry.start });
    } else if (s.at.flow !== this.bundle.menu) this.keepWayBack(flow); // the menu needs no way back: every end leads there
    this.handOver(`${FLOW_TARGET}${flow}`, { kind: 'text', text, at: this.now });
  }

  /** A likely offer at a question waiting for something else: asks whether to check it. */
  private askOffer(text: string): void {
    this.session.heldOffer = text;
    this.prompt([{ key: 'engine.offer.confirm' }], OFFER_CHOICES.map(({ id, label }) => ({ id, label })));
  }

  /** The answer to "check this as an offer?": yes checks it, no shows the question again. Anything else is not an answer. */
  private answerHeld(input: Message, held: string): boolean {
    let yes: boolean | undefined;
    if (input.kind === 'choice') {
      if (input.turn === undefined || input.turn === this.session.turn) yes = input.id === 'yes' ? true : input.id === 'no' ? false : undefined;
    } else {
      const parsed = parseYesNo(input.text);
      if (parsed.ok) yes = parsed.value === true;
      else {
        const picked = matchChoice(this, OFFER_CHOICES, input.text);
        if (picked) yes = picked.id === 'yes';
      }
    }
    if (yes === undefined) return false;
    if (yes) this.checkOffer(held);
    else this.again();
    return true;
  }

  /**
   * A picture, file, voice note, sticker, location, contact card or video: one line on what Waspada
   * can do with it, then its caption is handled as a text (not counted as a failure if it answers
   * nothing), or without one the current question is shown again (as for a stale button; someone
   * outside any flow gets the start, as for any message). Never counted as a failure.
   */
  media(input: Media): void {
    const caption = (input.text ?? '').trim();
    const picture = input.picture;
    const read = caption ? readIntent(caption) : NOTHING_READ;
    if (picture && 'excerpt' in picture) {
      // A plea in the caption is heard first: the emergency contacts, then the picture is still checked.
      if (read.intent === 'emergency' || read.alert) this.alert();
      // The text of a picture (after its caption): what was read first, so a misread shows, then it is
      // checked as a job offer wherever the person is (a one-line question first mid-question). Words
      // read in a picture are never a command or a plea.
      this.emit([{ key: 'engine.picture.read', vars: { excerpt: picture.excerpt } }]);
      this.lenient = true;
      const text = caption ? `${caption}\n\n${picture.text}` : picture.text;
      return this.receive({ kind: 'text', text, at: input.at, langHint: input.langHint, offer: true, picture: true }, undefined, NOTHING_READ);
    }
    // A plea in the caption comes first: what Waspada cannot read matters less then. A picture that
    // could not be read says why; other media say what Waspada can do with them.
    const says = picture && 'failure' in picture ? [{ key: `engine.picture.${picture.failure}` }] : mediaSays(input.media);
    if (read.intent !== 'emergency' && !read.alert) this.emit(says);
    if (caption) {
      this.lenient = true;
      return this.receive({ kind: 'text', text: caption, at: input.at, langHint: input.langHint, offer: input.offer }, undefined, read);
    }
    // (An effect's result that never came back: its step runs again, as for a text.)
    this.session.pending = null;
    this.again();
  }

  loop(): void {
    let guard = 0;
    while (this.next) {
      if (++guard > MAX_TRANSITIONS) {
        this.replies.length = 0;
        this.effects.length = 0;
        this.session.pending = null;
        this.say([{ key: 'engine.error' }]);
        this.session.at = null;
        this.session.stack = [];
        return;
      }
      const p = this.next;
      this.next = null;
      const prev = this.session.at;
      if (!prev || prev.flow !== p.flow || prev.step !== p.step) this.session.failures = 0;
      this.session.at = p;
      const flow = this.flow(p.flow);
      const step = flow?.steps[p.step];
      if (flow?.urgent) this.urgent = true;
      if (!step) {
        this.broken();
        continue;
      }
      const kind = KINDS[step.type]!;
      const carried = this.carry;
      this.carry = null;
      if (carried && kind.takesText && kind.resume) kind.resume(this, step, carried);
      else kind.enter(this, step);
    }
  }
}

function copy(s: Session): Session {
  return { ...s, at: s.at && { ...s.at }, stack: s.stack.map((p) => ({ ...p })), vars: { ...s.vars } };
}

export function step(bundle: Bundle, session: Session, input: Input): StepResult {
  const s = copy(session);
  const run = new Run(bundle, s, input.at);
  if (input.kind === 'effect') {
    if (s.pending !== input.effect || !s.at) return finish(bundle, run);
    s.pending = null;
    run.resume(input);
    run.loop();
    return finish(bundle, run);
  }
  // Kept only until this message, whatever it is (see Session.heldOffer).
  const held = s.heldOffer;
  delete s.heldOffer;
  if (!s.lang) s.lang = langFromHint(input.langHint);
  const idle = s.at !== null && input.at - s.lastAt > IDLE_RESET_MS;
  s.lastAt = input.at;
  if (idle) {
    s.at = null;
    s.stack = [];
    s.vars = {};
    s.pending = null;
    s.failures = 0;
    // Not before an offer's verdict: the person is not taken to the menu then.
    const offer = input.kind !== 'choice' && input.offer === true && bundle.intents.offer !== undefined;
    if (s.lang && !offer) run.say([{ key: 'engine.welcome_back' }]);
  }
  if (input.kind === 'media') run.media(input);
  else run.receive(input, idle ? undefined : held);
  run.loop();
  return finish(bundle, run);
}

/** The turn's result. Transient variables end with it: they are never in a session step() returns. */
function finish(bundle: Bundle, run: Run): StepResult {
  dropTransient(bundle, run.session);
  // In safety mode every message is quiet: silent, not forwardable, in its neutral wording.
  if (run.session.safety) for (const r of run.replies) r.quiet = true;
  // An urgent turn is kept track of (ids only), so a later exit word can clear the plea's answer too.
  else if (run.urgent) for (const r of run.replies) r.track = true;
  return { session: run.session, replies: run.replies, effects: run.effects, urgent: run.urgent };
}

/** Texts the engine itself shows (flows:check counts them as used and requires them in every locale). */
export const ENGINE_KEYS: readonly string[] = [
  'engine.too_many_failures',
  'engine.skipped_after_failures',
  'engine.you_are_welcome',
  'engine.greeting',
  'engine.stale',
  'engine.restart',
  'engine.error',
  'engine.welcome_back',
  'engine.emergency_alert',
  'engine.exit.manual',
  'engine.hint.choice',
  ...INPUT_TYPES.map((t) => `engine.hint.${t}`),
  ...OFFER_CHOICES.map((c) => c.label),
  'engine.offer.confirm',
  'engine.media.picture',
  'engine.media.can',
  'engine.picture.read',
  ...PICTURE_FAILURES.map((f) => `engine.picture.${f}`),
  // The renderer's label of a control that opens a reply's choices as a list.
  'common.choose',
  ...MEDIA_KINDS.filter((k) => k !== 'photo' && k !== 'image').map((k) => `engine.media.${k}`),
];
