// Safety for people at risk, on the real flows and texts (no I/O): the emergency screen puts the
// nearest mission first, urgent help asks whether it is safe to write, safety mode makes every reply
// quiet and neutral, and its exit word clears the conversation.
import { describe, expect, it } from 'vitest';
import { renderTelegramReply } from '../../src/channels/telegram.js';
import { loadContent } from '../../src/content/index.js';
import { SAFE_PREFIX } from '../../src/content/render.js';
import { step } from '../../src/engine/step.js';
import { newSession, type Input, type Lang, type Session, type StepResult } from '../../src/engine/types.js';

const content = await loadContent();
const render = (r: StepResult, lang: Lang = 'id') => r.replies.map((x) => content.renderer.reply(lang, x).text).join('\n---\n');

/** A person at the main menu, walking through `texts`; the last step's result. */
function walk(texts: string[], from: Session = { ...newSession(0), lang: 'id', consent: true }): { session: Session; last: StepResult; all: StepResult[] } {
  let session = from;
  const all: StepResult[] = [];
  let at = 1;
  for (const text of texts) {
    const input: Input = { kind: 'text', text, at: at++ };
    let r = step(content.bundle, session, input);
    const turn: StepResult = { ...r, replies: [...r.replies], effects: [...r.effects] };
    // Effects answer "ok", as the service would after doing them.
    while (r.effects.length) {
      r = step(content.bundle, r.session, { kind: 'effect', effect: r.effects[0]!.type, outcome: 'ok', at: at++ });
      turn.replies.push(...r.replies);
      turn.effects.push(...r.effects);
      turn.urgent ||= r.urgent;
      turn.session = r.session;
    }
    all.push(turn);
    session = r.session;
  }
  return { session, last: all.at(-1)!, all };
}

const contact = (id: string) => content.data.contacts.get(id)!.name.id;

describe('the emergency screen', () => {
  it('asks where the person is before anything else, with the two lines that answer from anywhere, and no police number', () => {
    const { last } = walk(['menu', 'tolong']);
    const text = render(last);
    expect(last.urgent).toBe(true);
    expect(text).toContain(contact('kemlu_wni'));
    expect(text).toContain(content.texts.t('id', 'emergency.where'));
    expect(text).not.toContain(contact('polri_110'));
  });

  it('abroad, puts that country’s Indonesian missions first (Malaysia: the embassy, then its consulates), and never Indonesia’s police', () => {
    const text = render(walk(['menu', 'tolong', 'Malaysia']).last);
    const kl = text.indexOf(contact('kbri_kuala_lumpur'));
    expect(kl).toBeGreaterThan(-1);
    expect(kl).toBeLessThan(text.indexOf(contact('kemlu_wni')));
    for (const c of content.data.contacts.values()) if (c.country === 'MY') expect(text.indexOf(c.name.id)).toBeLessThan(text.indexOf(contact('kemlu_wni')));
    expect(text).not.toContain(contact('polri_110'));
    const kh = render(walk(['menu', 'tolong', 'Kamboja']).last);
    expect(kh.indexOf(contact('kbri_phnom_penh'))).toBeLessThan(kh.indexOf(contact('kemlu_wni')));
    expect(kh).not.toContain(contact('kbri_kuala_lumpur'));
  });

  it('in a country whose mission has no reviewed number yet (Brunei), shows the lines that answer from anywhere, never another country’s mission or Indonesia’s police', () => {
    for (const answer of ['Brunei', 'Bandar Seri Begawan']) {
      const { session, last } = walk(['menu', 'tolong', answer]);
      expect(session.vars.here, answer).toBe('BN');
      const text = render(last);
      const anywhere = text.indexOf(contact('kemlu_wni'));
      expect(anywhere, answer).toBeGreaterThan(-1);
      expect(text).toContain(contact('kp2mi_complaints'));
      expect(text).not.toContain(contact('polri_110'));
      for (const c of content.data.contacts.values()) {
        // Once KBRI Bandar Seri Begawan is sourced in data/contacts.yaml, it comes first.
        if (c.country === 'BN') expect(text.indexOf(c.name.id), c.id).toBeLessThan(anywhere);
        else if (c.country) expect(text, c.id).not.toContain(c.name.id);
      }
    }
  });

  it('in Indonesia (one button, or typed), puts the police first', () => {
    for (const answer of ['1', 'Indonesia', 'di indonesia']) {
      const text = render(walk(['menu', 'tolong', answer]).last);
      expect(text.indexOf(contact('polri_110')), answer).toBeGreaterThan(-1);
      expect(text.indexOf(contact('polri_110'))).toBeLessThan(text.indexOf(contact('kemlu_wni')));
    }
  });

  it('abroad by its button asks which country; a state or city typed straight away is taken for its country', () => {
    expect(render(walk(['menu', 'tolong', '2']).last)).toContain(content.texts.t('id', 'emergency.which_country'));
    const kl = render(walk(['menu', 'tolong', '2', 'Malaysia']).last);
    expect(kl.indexOf(contact('kbri_kuala_lumpur'))).toBeGreaterThan(-1);
    const johor = render(walk(['menu', 'tolong', 'Johor']).last);
    expect(johor.indexOf(contact('kbri_kuala_lumpur'))).toBeLessThan(johor.indexOf(contact('kemlu_wni')));
  });

  it('remembers the place: a later plea inside a story shows the same mission first', () => {
    const { session } = walk(['menu', 'tolong', 'Kamboja', '2']);
    expect(session.vars.here).toBe('KH');
    const story = walk(['4', 'Rina', 'lewati', 'lewati', 'Kamboja', 'lewati', 'lewati', 'lewati', 'lewati', 'Tolong, adik saya disekap dan tidak boleh pulang'], session);
    const text = render(story.last);
    expect(text.indexOf(contact('kbri_phnom_penh'))).toBeGreaterThan(-1);
    expect(text.indexOf(contact('kbri_phnom_penh'))).toBeLessThan(text.indexOf(contact('kemlu_wni')));
  });

  it('a place not known yet can be skipped, to the usual choices', () => {
    const text = render(walk(['menu', 'tolong', 'lewati']).last);
    expect(text).toContain(content.texts.t('id', 'emergency.next'));
  });
});

describe('urgent help asks whether it is safe to write', () => {
  const toQuestion = ['menu', 'tolong', 'lewati', '3'];

  it('asks it first, in plain words', () => {
    expect(render(walk(toQuestion).last)).toContain(content.texts.t('id', 'emergency.safe.ask'));
  });

  it('"tidak" switches safety mode on (the mark for the outbox is asked for) and goes on quietly', () => {
    const { session, all } = walk([...toQuestion, 'tidak']);
    expect(session.safety).toBe(true);
    expect(all.flatMap((r) => r.effects)).toContainEqual({ type: 'safetyMode', args: { on: true } });
    expect(all.at(-1)!.replies.every((r) => r.quiet)).toBe(true);
    expect(session.at).toEqual({ flow: 'report-urgent', step: 'name' });
  });

  it('no answer to it (anything else) is taken as no', () => {
    expect(walk([...toQuestion, 'Siti di Johor']).session.safety).toBe(true);
  });

  it('"ya" goes on as before, not in safety mode', () => {
    const { session } = walk([...toQuestion, 'ya']);
    expect(session.safety).toBeUndefined();
    expect(session.at).toEqual({ flow: 'report-urgent', step: 'name' });
  });
});

describe('safety mode and its exit word', () => {
  const on = () => walk(['menu', 'mode aman', '1']).session;

  it('is switched on and off in its own flow, from the menu or by its words', () => {
    const s = on();
    expect(s.safety).toBe(true);
    expect(walk(['mode aman', '2'], s).session.safety).toBeUndefined();
    expect(walk(['menu', '8', '2']).session.at).toEqual({ flow: 'safety', step: 'explain' });
  });

  it('"Nyalakan?" answered "ya" switches it on; "tidak" leaves it off', () => {
    expect(walk(['menu', 'mode aman', 'ya']).session.safety).toBe(true);
    const no = walk(['menu', 'mode aman', 'tidak']);
    expect(no.session.safety).toBeUndefined();
    expect(no.session.at?.flow).toBe('main');
  });

  it('makes every reply quiet and uses the neutral texts', () => {
    const r = walk(['menu'], on()).last;
    expect(r.replies.every((x) => x.quiet)).toBe(true);
    const text = render(r);
    expect(text).toContain(content.texts.t('id', `${SAFE_PREFIX}main.title`));
    const tg = renderTelegramReply(content.renderer.reply('id', r.replies[0]!));
    expect(tg[0]).toMatchObject({ disable_notification: true, protect_content: true });
  });

  it('the exit word ends the conversation at once and asks the platform to clear it; mid-question too', () => {
    const mid = walk(['4', 'Rina'], on());
    expect(mid.session.at?.flow).toBe('report-missing');
    const { session, last } = walk(['x'], mid.session);
    expect(session.at).toBeNull();
    expect(session.vars).toEqual({});
    expect(session.safety).toBe(true);
    expect(last.replies).toHaveLength(1);
    expect(last.replies[0]).toMatchObject({ clear: true, quiet: true });
    // Telegram deletes (and says nothing); elsewhere the text says how to clear the chat.
    const out = content.renderer.reply('id', last.replies[0]!);
    expect(renderTelegramReply(out)).toEqual([{ clear_chat: true }]);
    expect(out.text).toContain(content.texts.t('id', 'engine.exit.manual'));
  });

  it('outside safety mode the exit word is just a word', () => {
    const { last } = walk(['menu', 'x']);
    expect(last.replies.some((r) => r.clear)).toBe(false);
  });
});

describe('neutral texts', () => {
  it('each stands for a text that exists, in both languages, with the same variables', () => {
    for (const lang of ['id', 'en'] as const) {
      const safe = [...content.texts.index(lang).keys].filter((k) => k.startsWith(SAFE_PREFIX));
      expect(safe.length).toBeGreaterThan(5);
      for (const key of safe) {
        const base = key.slice(SAFE_PREFIX.length);
        expect(content.texts.has(lang, base), key).toBe(true);
        const vars = (k: string) => [...content.texts.t(lang, k).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        const raw = (k: string) => JSON.stringify(vars(k));
        // t() fills nothing in without variables: the placeholders are what the text asks for.
        expect(raw(key), key).toBe(raw(base));
      }
    }
  });
});
