// The hotline pages of the console as rendered HTML (no server): the queue's order, what a family
// typed never becoming markup, and the service's refusals as messages in the page's language.
import { describe, expect, it } from 'vitest';
import { Conflict, Invalid, NotFound, type StaffCase } from '../../src/hotline/service.js';
import type { CaseSummary } from '../../src/hotline/types.js';
import { casePage, queueOrder, queuePage, refusal } from '../../src/staff/web/cases.js';
import { interviewInput, type CaseworkView } from '../../src/staff/web/casework-pages.js';
import { interviewView } from '../../src/hotline/identification.js';
import { loadIndicators } from '../../src/hotline/indicators.js';
import type { PageContext } from '../../src/staff/web/html.js';
import { loadConsoleTexts, translator } from '../../src/staff/web/texts.js';

const texts = loadConsoleTexts();
const page = (lang: 'id' | 'en'): PageContext => ({ t: translator(texts, lang), lang, path: '/staff/cases', csrf: 'csrf-token', staff: { name: 'sari', role: 'agent' } });
const AT = Date.UTC(2026, 10, 30, 10, 0);

const summary = (id: string, o: Partial<CaseSummary> = {}): CaseSummary => ({
  id, kind: 'missing', urgent: false, stage: 'received', lang: 'id', channel: 'telegram', openedAt: AT, updatedAt: AT, claimedBy: null, claimUntil: null,
  partner: null, outcome: null, closedAt: null, consentShare: true, erased: [], version: 1, ...o,
});

const hostile = '<script>alert(1)</script> & "quoted" \'single\'';

function staffCase(): StaffCase {
  return {
    ...summary('WSP-AAAA-11', { urgent: true }),
    details: { name: hostile, story: `<img src=x onerror=alert(1)>`, additions: [{ at: AT, text: '<b>later</b>' }] },
    reporter: { channel: 'telegram', chat: 'ref123', contact: '<i>+62</i>' },
    notes: [{ at: AT, by: 'sari', text: '</textarea><script>x()</script>', family: false }],
  };
}

describe('console hotline pages', () => {
  it('lists waiting cases first, urgent before the rest and oldest first, then the cases someone holds', () => {
    const order = queueOrder([
      summary('WSP-0000-01', { openedAt: AT + 3 }),
      summary('WSP-0000-02', { openedAt: AT + 1, claimedBy: 'tono' }),
      summary('WSP-0000-03', { openedAt: AT + 5, urgent: true }),
      summary('WSP-0000-04', { openedAt: AT + 2 }),
      summary('WSP-0000-05', { openedAt: AT + 4, urgent: true, claimedBy: 'wati' }),
    ]).map((c) => c.id);
    expect(order).toEqual(['WSP-0000-03', 'WSP-0000-04', 'WSP-0000-01', 'WSP-0000-05', 'WSP-0000-02']);
  });

  it('the queue page loads its refresh script as a file, has a labelled stage filter and a live count', () => {
    const html = queuePage(page('en'), { cases: [summary('WSP-0000-01', { urgent: true })], stage: '', now: AT + 120_000 });
    expect(html).toContain('<script src="/staff/assets/queue.js" defer></script>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).toContain('<label for="stage">Stage</label><select id="stage" name="stage">');
    expect(html).toContain('<p id="queue-status" role="status">Listed: 1. Waiting: 1. Urgent: 1.</p>');
    expect(html).toContain('2 minutes ago');
    expect(html).toContain('name="_csrf" value="csrf-token"');
  });

  it('what the family and staff typed is escaped everywhere on the case page, in both languages', () => {
    for (const lang of ['id', 'en'] as const) {
      const html = casePage(page(lang), { case: staffCase(), events: [], partners: [{ id: 'kbri', label: '<KBRI>' }], staff: { name: 'sari', role: 'agent' } });
      for (const bad of ['<script>alert', '<img', '<b>later', '<i>+62', '</textarea><script>', '<KBRI>']) expect(html).not.toContain(bad);
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quoted&#34; &#39;single&#39;');
      expect(html).not.toMatch(/case\.[a-z]+\.[a-zA-Z_]+/);
      for (const action of ['claim', 'notes', 'refer', 'stage', 'close']) expect(html).toContain(`action="/staff/cases/WSP-AAAA-11/${action}"`);
    }
  });

  it('a closed case shows no forms, and an admin gets the audit link', () => {
    const html = casePage(page('en'), { case: { ...staffCase(), stage: 'closed', outcome: 'found', closedAt: AT }, events: [], partners: [], staff: { name: 'ani', role: 'admin' } });
    expect(html).not.toContain('<form method="post" action="/staff/cases/');
    expect(html).toContain('This case is closed');
    expect(html).toContain('href="/staff/cases/WSP-AAAA-11/audit"');
  });

  it('turns the service’s refusals into statuses and messages, and leaves anything else to the caller', () => {
    const c = page('id');
    expect(refusal(c, new Conflict('held by wati'))).toEqual({ status: 409, text: 'Kasus ini dipegang oleh wati: hanya dia (atau admin) yang bisa mengubahnya.' });
    expect(refusal(c, new Conflict('the case is closed'))!.text).toBe('Kasus ini sudah ditutup: tidak bisa diubah lagi.');
    expect(refusal(c, new Invalid('text', 'a note needs text'))).toEqual({ status: 400, text: 'Tulis catatannya dulu (paling banyak 4000 karakter).' });
    expect(refusal(c, new NotFound('no case'))!.status).toBe(404);
    expect(refusal(c, new Error('Connection is closed.'))).toBeNull();
  });

  it('the casework sections: every text in both languages, labelled answers, no verdict of "victim", and what was typed escaped', () => {
    const indicators = loadIndicators();
    const answers = Object.fromEntries(indicators.list.map((i, n) => [i.id, n === 0 ? 'yes' : 'unknown'] as const));
    for (const lang of ['id', 'en'] as const) {
      const ident = { answers, indicated: true, indicators: [indicators.list[0]!.id], passportHeldBy: 'employer' as const, passport: 'C1234567', homeRegion: 'NB', need: 'consular' as const, by: '<b>sari</b>', at: AT };
      const work: CaseworkView = {
        interview: { identification: ident, view: interviewView(ident, indicators, lang), suggestion: { suggested: { partner: 'kbri', kind: 'embassy', reason: 'embassy_in_country' }, options: [] } },
        duplicates: { duplicates: [{ id: 'WSP-BBBB-22', reasons: ['name', 'passport'], linked: false, kind: 'missing', stage: 'received', urgent: false, openedAt: AT }], linked: ['WSP-CCCC-33'] },
        regions: [{ code: 'NB', name: 'Nusa Tenggara Barat' }],
        partners: new Map([['kbri', '<KBRI>']]),
      };
      const html = casePage(page(lang), { case: staffCase(), events: [], partners: [], staff: { name: 'sari', role: 'agent' }, work });
      expect(html).not.toMatch(/case\.(ident|packet|dups|safety)\.[a-zA-Z_.]+/);
      for (const bad of ['<KBRI>', '<b>sari']) expect(html).not.toContain(bad);
      expect(html).not.toContain('C1234567');
      for (const action of ['identification', 'link', 'safety', 'refer']) expect(html).toContain(`action="/staff/cases/WSP-AAAA-11/${action}"`);
      expect(html).toContain('href="/staff/cases/WSP-AAAA-11/packet.pdf"');
      expect(html).toContain(`<input type="radio" name="a_${indicators.list[0]!.id}" value="yes" checked>`);
      // The result names the indicators and says to refer; only the rule's own explanation (muted) speaks of who identifies a victim.
      const result = /<div class="result indicated">(.*?)<\/div>/s.exec(html)![1]!.replace(/<p class="muted">[^<]*<\/p>/g, '');
      expect(result).toContain(lang === 'en' ? 'Indicators present: refer for formal identification.' : 'Ada indikator: rujuk untuk identifikasi resmi.');
      expect(result).not.toMatch(/victim|korban/i);
    }
  });

  it('reads the interview form as the service takes it, refusing an answer or a choice not offered', () => {
    expect(interviewInput({ a_x: 'yes', a_y: '', passport_held_by: 'employer', passport: ' C 1234567 ', home_region: 'nb', need: '' })).toEqual({ answers: { x: 'yes', y: 'unknown' }, passportHeldBy: 'employer', passport: 'C 1234567', homeRegion: 'NB', need: null });
    expect(() => interviewInput({ a_x: 'maybe' })).toThrow(Invalid);
    expect(() => interviewInput({ need: 'money' })).toThrow(Invalid);
  });
});
