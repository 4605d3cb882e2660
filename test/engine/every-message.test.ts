import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/engine/flow.js';
import { step } from '../../src/engine/step.js';
import { MEDIA_KINDS, newSession, type Input, type MediaKind, type Reply, type Session } from '../../src/engine/types.js';
import { bundleFrom, WORLD } from '../helpers/bundle.js';

// The test world, with an offer flow shaped like flows/check-offer.yaml and a guide whose first
// question is a choice (the country question is an input step further on).
const OFFER_FLOW = `
spec_version: 1
id: offer
start: ask
transient: [offer]
steps:
  ask: { type: input, say: [o.ask], input: { type: text, store: offer, max: 20000 }, next: check }
  check:
    type: effect
    effect: checkOffer
    args: { text: "$offer", count: "$consent" }
    store: verdict
    outcomes: { checked: after, error: "@end" }
  after: { type: branch, on: consent, cases: { "true": next }, default: "@end" }
  next:
    type: choice
    say: [o.next]
    text: ask
    choices:
      - { id: another, label: o.another, next: ask }
      - { id: back, label: o.back, next: "@end" }
`;
const GUIDE = `
spec_version: 1
id: guide
start: topics
steps:
  topics:
    type: choice
    say: [g.topics]
    choices:
      - { id: country, label: g.country_topic, next: country }
      - { id: back, label: g.back, next: "@end" }
  country:
    type: input
    say: [g.country]
    input: { type: country, store: dest }
    next: done
  done: { type: end, say: [{ key: g.done, vars: { dest: "$dest" } }] }
`;
const files = { ...WORLD, guide: GUIDE, offer: OFFER_FLOW };
const base = bundleFrom(files);
const bundle: Bundle = { ...base, intents: { ...base.intents, offer: 'offer' } };
const T0 = Date.UTC(2026, 11, 1, 8, 0);

const OFFER =
  'Lowongan admin CS di Sihanoukville Kamboja, gaji 18 juta per bulan, tanpa pengalaman, tiket dan visa turis ditanggung perusahaan, WA 0812-7788-9900';

function keys(replies: Reply[]): string[] {
  return replies.flatMap((r) => r.say.map((s) => ('key' in s ? s.key : 'contacts' in s ? 'contacts' : 'facts')));
}

interface Talk {
  session: Session;
  replies: Reply[];
  keys: string[];
  effects: { type: string; args: unknown }[];
}

/** Drives the engine like the service does: a string is a text (marked as an offer when it is OFFER). */
function talk(session: Session, inputs: (string | Partial<Input>)[], b = bundle): Talk {
  let s = session;
  const replies: Reply[] = [];
  const effects: Talk['effects'] = [];
  for (const i of inputs) {
    const input = (typeof i === 'string' ? { kind: 'text', text: i, at: T0, offer: i === OFFER } : { at: T0, ...i }) as Input;
    let r = step(b, s, input);
    replies.push(...r.replies);
    while (r.effects.length) {
      const e = r.effects[0]!;
      effects.push(e);
      const outcome = e.type === 'checkOffer' ? { outcome: 'checked', data: { risk: 'high' }, say: [[{ key: 'o.verdict' }]] } : { outcome: 'ok' };
      r = step(b, r.session, { kind: 'effect', effect: e.type, at: T0, ...outcome });
      replies.push(...r.replies);
    }
    s = r.session;
  }
  return { session: s, replies, keys: keys(replies), effects };
}

const onboarded = (): Session => talk(newSession(T0), ['hi', 'id', 'agree']).session;
const atCountry = (): Session => talk(onboarded(), ['2', '1']).session;
const media = (kind: MediaKind, text?: string, offer = false): Partial<Input> => ({ kind: 'media', media: kind, text, offer });

describe('engine: a job offer pasted anywhere is checked', () => {
  it('at the main menu: the verdict and the offer flow’s choices, no "reply with a number" hint, nothing kept', () => {
    const r = talk(onboarded(), [OFFER]);
    expect(r.effects).toEqual([{ type: 'checkOffer', args: { text: OFFER, count: true } }]);
    expect(r.keys).toEqual(['o.verdict', 'o.next']);
    expect(r.session.failures).toBe(0);
    expect(JSON.stringify(r.session)).not.toContain('Sihanoukville');
    // "back" returns to the menu.
    expect(talk(r.session, ['2']).keys).toEqual(['m.title']);
  });

  it('after a long pause: the verdict, without "welcome back, here is the menu"', () => {
    const r = step(bundle, onboarded(), { kind: 'text', text: OFFER, offer: true, at: T0 + 25 * 60 * 60 * 1000 });
    expect(keys(r.replies)).toEqual([]);
    expect(r.effects).toEqual([{ type: 'checkOffer', args: { text: OFFER, count: true } }]);
  });

  it('a long text the caller did not mark as an offer is still a wrong answer at the menu', () => {
    const r = talk(onboarded(), [{ kind: 'text', text: OFFER, offer: false }]);
    expect(r.effects).toEqual([]);
    expect(r.keys).toEqual(['engine.hint.choice']);
  });

  it('the mark is ignored where the content names no offer flow', () => {
    const r = talk(onboarded(), [OFFER], base);
    expect(r.effects).toEqual([]);
    expect(r.keys).toEqual(['engine.hint.choice']);
  });

  it('as the very first message of a new person: the verdict first, then the welcome asks for the language', () => {
    const r = talk(newSession(T0), [OFFER]);
    expect(r.keys).toEqual(['o.verdict', 'w.lang']);
    // Nobody who has not agreed to the privacy notice is counted among those warned.
    expect(r.effects).toEqual([{ type: 'checkOffer', args: { text: OFFER, count: false } }]);
    expect(r.session).toMatchObject({ consent: false, at: { flow: 'welcome', step: 'ask_lang' }, stack: [] });
    expect(JSON.stringify(r.session)).not.toContain('Sihanoukville');
    // The welcome goes on as usual.
    expect(talk(r.session, ['id', 'agree']).keys).toEqual(['w.privacy', 'm.title']);
  });

  it('as the first message with the language known: the verdict, then the privacy notice', () => {
    const r = talk(newSession(T0), [{ kind: 'text', text: OFFER, offer: true, langHint: 'id' }]);
    expect(r.keys).toEqual(['o.verdict', 'w.privacy']);
    expect(r.session.lang).toBe('id');
  });

  it('during the welcome: the verdict, then the same welcome question again', () => {
    const atPrivacy = talk(newSession(T0), ['hi', 'en']).session;
    const r = talk(atPrivacy, [OFFER]);
    expect(r.keys).toEqual(['o.verdict', 'w.privacy']);
    expect(r.session.at).toEqual({ flow: 'welcome', step: 'consent' });
  });

  it('at a choice in the middle of a flow: the verdict, and "back" returns to that choice', () => {
    const inGuide = talk(onboarded(), ['2']).session;
    expect(inGuide.at).toEqual({ flow: 'guide', step: 'topics' });
    const r = talk(inGuide, [OFFER]);
    expect(r.keys).toEqual(['o.verdict', 'o.next']);
    expect(r.session.stack).toEqual([{ flow: 'guide', step: 'topics' }]);
    expect(talk(r.session, ['2']).keys).toEqual(['g.topics']);
  });

  it('right after a verdict: the offer flow’s own choice takes it as the next offer', () => {
    const after = talk(onboarded(), [OFFER]).session;
    const r = talk(after, [OFFER]);
    expect(r.effects).toHaveLength(1);
    expect(r.keys).toEqual(['o.verdict', 'o.next']);
    expect(r.session.stack).toEqual([]);
  });

  it('at the offer flow’s own question: it is the answer, with no question about it', () => {
    const atAsk = talk(talk(onboarded(), [OFFER]).session, ['1']);
    expect(atAsk.keys).toEqual(['o.ask']);
    const r = talk(atAsk.session, [OFFER]);
    expect(r.keys).toEqual(['o.verdict', 'o.next']);
    expect(r.session.heldOffer).toBeUndefined();
  });

  it('a long offer with a plea in it, outside a step that asked for text, is an emergency first', () => {
    const plea = `${OFFER}. Tolong saya, saya dalam bahaya, paspor saya ditahan dan saya dikurung di mess, tidak boleh keluar. ${'Kami butuh bantuan segera. '.repeat(4)}`;
    const r = talk(onboarded(), [{ kind: 'text', text: plea, offer: true }]);
    expect(r.keys[0]).toBe('e.help');
    expect(r.effects).toEqual([]);
  });
});

describe('engine: a job offer at a question waiting for something else', () => {
  it('asks one short yes/no question and keeps the offer only for that answer', () => {
    const s = atCountry();
    const r = talk(s, [OFFER]);
    expect(r.keys).toEqual(['engine.offer.confirm']);
    expect(r.replies[0]!.choices).toEqual([
      { id: 'yes', label: 'engine.offer.yes' },
      { id: 'no', label: 'engine.offer.no' },
    ]);
    expect(r.replies[0]!.turn).toBe(r.session.turn);
    expect(r.effects).toEqual([]);
    expect(r.session.failures).toBe(s.failures);
    expect(r.session.at).toEqual({ flow: 'guide', step: 'country' });
    expect(r.session.heldOffer).toBe(OFFER);
  });

  it.each([['ya'], ['1'], ['iya'], ['yes']])('"%s" checks it, then "back" returns to the question', (answer) => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, [answer]);
    expect(r.effects).toEqual([{ type: 'checkOffer', args: { text: OFFER, count: true } }]);
    expect(r.keys).toEqual(['o.verdict', 'o.next']);
    expect(r.session.heldOffer).toBeUndefined();
    expect(JSON.stringify(r.session)).not.toContain('Sihanoukville');
    const back = talk(r.session, ['2']);
    expect(back.keys).toEqual(['g.country']);
    expect(talk(back.session, ['Taiwan']).keys).toEqual(['g.done', 'm.title']);
  });

  it('the "yes" button of that question checks it', () => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, [{ kind: 'choice', id: 'yes', turn: asked.turn }]);
    expect(r.effects).toHaveLength(1);
  });

  it.each([['tidak'], ['2'], [{ kind: 'choice', id: 'no' } as Partial<Input>]])('%j goes back to the question, nothing checked or kept', (answer) => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, [answer]);
    expect(r.effects).toEqual([]);
    expect(r.keys).toEqual(['g.country']);
    expect(r.session.heldOffer).toBeUndefined();
    expect(r.session.failures).toBe(0);
  });

  it('an answer to the first question instead is taken as that answer, and the offer is dropped', () => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, ['Malaysia']);
    expect(r.keys).toEqual(['g.done', 'm.title']);
    expect(r.session.heldOffer).toBeUndefined();
    expect(r.effects).toEqual([]);
  });

  it('a "yes" button from an older question is not an answer, and the offer is dropped', () => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, [{ kind: 'choice', id: 'yes', turn: asked.turn - 1 }]);
    expect(r.effects).toEqual([]);
    expect(r.keys).toEqual(['engine.stale', 'g.country']);
    expect(r.session.heldOffer).toBeUndefined();
  });

  it('a global intent, media, or a long pause drop the offer too', () => {
    const asked = talk(atCountry(), [OFFER]).session;
    expect(talk(asked, ['menu']).session.heldOffer).toBeUndefined();
    expect(talk(asked, [media('sticker')]).session.heldOffer).toBeUndefined();
    const later = step(bundle, asked, { kind: 'text', text: 'ya', at: T0 + 25 * 60 * 60 * 1000 });
    expect(later.session.heldOffer).toBeUndefined();
    expect(later.effects).toEqual([]);
  });
});

describe('engine: every kind of message', () => {
  const others = MEDIA_KINDS.filter((k) => k !== 'photo' && k !== 'image');

  it.each([['photo'], ['image']] as const)('a %s: Waspada cannot read pictures yet, paste the offer’s text; the menu is shown again', (kind) => {
    const s = { ...onboarded(), failures: 2 };
    const r = talk(s, [media(kind)]);
    expect(r.replies).toHaveLength(1);
    expect(r.keys).toEqual(['engine.media.picture', 'm.title']);
    expect(r.replies[0]!.choices?.map((c) => c.id)).toEqual(['check', 'guide', 'sub']);
    expect(r.session).toMatchObject({ failures: 2, at: s.at });
  });

  it.each(others.map((k) => [k]))('a %s: one line of its own and what Waspada can do; not a failure, the question stays', (kind) => {
    const s = { ...atCountry(), failures: 2 };
    const r = talk(s, [media(kind)]);
    expect(r.replies).toHaveLength(1);
    expect(r.keys).toEqual([`engine.media.${kind}`, 'engine.media.can', 'g.country']);
    expect(r.session).toMatchObject({ failures: 2, at: { flow: 'guide', step: 'country' } });
  });

  it('an unknown kind is answered as "other"', () => {
    const r = talk(onboarded(), [media('hologram' as MediaKind)]);
    expect(r.keys).toEqual(['engine.media.other', 'engine.media.can', 'm.title']);
  });

  it('three voice notes in a row never count as three wrong answers', () => {
    const r = talk(atCountry(), [media('voice'), media('voice'), media('voice')]);
    expect(r.keys).not.toContain('engine.too_many_failures');
    expect(r.session).toMatchObject({ failures: 0, at: { flow: 'guide', step: 'country' } });
  });

  it('a sticker from a new person: its line, then the welcome', () => {
    const r = talk(newSession(T0), [media('sticker')]);
    expect(r.keys).toEqual(['engine.media.sticker', 'engine.media.can', 'w.lang']);
  });

  it('a photo whose caption is an offer: the picture line, then the caption is checked', () => {
    const r = talk(onboarded(), [media('photo', OFFER, true)]);
    expect(r.keys).toEqual(['engine.media.picture', 'o.verdict', 'o.next']);
    expect(r.effects).toEqual([{ type: 'checkOffer', args: { text: OFFER, count: true } }]);
  });

  it('a caption is handled as a text: a choice is chosen', () => {
    const r = talk(onboarded(), [media('document', '2')]);
    expect(r.keys).toEqual(['engine.media.document', 'engine.media.can', 'g.topics']);
  });

  it('a caption that answers nothing is no failure: the question is shown again', () => {
    const s = { ...onboarded(), failures: 2 };
    const r = talk(s, [media('photo', 'lihat ini')]);
    expect(r.keys).toEqual(['engine.media.picture', 'm.title']);
    expect(r.session.failures).toBe(2);
  });

  it('a caption with a plea goes to the emergency flow first, without the picture line', () => {
    const r = talk(onboarded(), [media('photo', 'tolong')]);
    expect(r.keys[0]).toBe('e.help');
    expect(r.keys).not.toContain('engine.media.picture');
  });

  it('media while an offer waits for its yes/no: the line, and the first question again', () => {
    const asked = talk(atCountry(), [OFFER]).session;
    const r = talk(asked, [media('voice')]);
    expect(r.keys).toEqual(['engine.media.voice', 'engine.media.can', 'g.country']);
  });
});
