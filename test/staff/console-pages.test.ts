// The dashboard and composer pages as the server renders them (no browser, no Redis): who sees the
// WhatsApp Web QR code, that what comes from outside is escaped, and the composer's segment checks.
import { describe, expect, it } from 'vitest';
import type { Staff } from '../../src/hotline/service.js';
import type { Dashboard, DayStats } from '../../src/staff/metrics.js';
import { segmentOf } from '../../src/staff/web/broadcasts.js';
import { dashboardPage, phoneLink } from '../../src/staff/web/dashboard.js';
import type { PageContext } from '../../src/staff/web/html.js';
import { loadConsoleTexts, translator } from '../../src/staff/web/texts.js';
import type { Channel } from '../../src/channels/port.js';

const texts = loadConsoleTexts();
const ctx = (role: Staff['role']): PageContext => ({ t: translator(texts, 'en'), lang: 'en', path: '/staff/dashboard', csrf: 'x', staff: { name: 'ani', role } });

const day = (d: string): DayStats => ({
  day: d,
  conversations: { telegram: 2 },
  messages: { telegram: 5 },
  offers: { high: 1, medium: 0, low: 0, unclear: 0 },
  cases: { opened: 0, urgent: 0, referred: 0, closed: 0 },
  pictures: { read: 0, notRead: {} },
  subscriptions: { new: {}, stopped: 0 },
  reports: 0,
});

const dashboard: Dashboard = {
  timeZone: 'Asia/Jakarta',
  days: [day('2026-11-29'), day('2026-11-30')],
  totals: { ...day('x'), casesByKind: {}, closedBy: {} },
  topFlags: [{ id: '<script>alert(1)</script>', count: 2 }],
  topReported: [],
  subscribers: { id: 3, en: 1 },
};

const channels = (state: string, qr: string | null) => new Map([['whatsapp-web', { name: 'whatsapp-web', phoneLink: () => ({ state, qr }) } as unknown as Channel]]);

describe('dashboard page', () => {
  it('shows the linked phone\'s QR code to admins only, and the link state, under the channel\'s name, to everyone', () => {
    const link = phoneLink(channels('qr_needed', '2@abc,def,ghi'));
    expect(dashboardPage(ctx('agent'), dashboard, link)).toContain('Linked phone: whatsapp-web');
    const admin = dashboardPage(ctx('admin'), dashboard, link);
    const agent = dashboardPage(ctx('agent'), dashboard, link);
    expect(admin).toContain('<svg class="qr"');
    expect(admin).toContain('waiting for a phone to be linked');
    expect(agent).not.toContain('<svg class="qr"');
    expect(agent).toContain('waiting for a phone to be linked');
    expect(agent).toContain('An admin links the phone from this page.');
  });

  it('has no linked-phone section where this process runs no channel linked through a phone', () => {
    expect(phoneLink(new Map())).toBeNull();
    expect(dashboardPage(ctx('admin'), dashboard, null)).not.toContain('Linked phone');
  });

  it('escapes what it shows (an unknown red flag id) and draws no inline style or script', () => {
    const html = dashboardPage(ctx('campaign'), dashboard, null);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html.match(/.{0,40}(?:style=|<script>|\son\w+=).{0,20}/g)).toBeNull();
  });
});

describe('composer segment', () => {
  it('takes the API segment fields and names what is wrong', () => {
    expect(segmentOf({ lang: 'id', topics: ['scam-alerts'], channel: '', region: 'NB', destination: '' })).toEqual({ lang: 'id', topics: ['scam-alerts'], region: 'NB' });
    expect(segmentOf({ lang: '', topics: [], channel: '', region: '', destination: '' })).toEqual({});
    expect(segmentOf({ lang: 'xx', topics: [], channel: '', region: '', destination: '' })).toMatch(/^lang: /);
    expect(segmentOf({ lang: '', topics: ['nope'], channel: '', region: '', destination: '' })).toMatch(/^topics/);
    expect(segmentOf({ lang: '', topics: [], channel: '', region: 'Lombok', destination: '' })).toMatch(/^region: a province code/);
  });
});
