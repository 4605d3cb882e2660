// Where a case should be referred (by its country and need, from data/partners.yaml) and the referral
// packet: consented fields only, valid against docs/referral-packet.schema.json, as JSON and as PDF.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadContent, ROOT } from '../../src/content/index.js';
import { assess, type Identification } from '../../src/hotline/identification.js';
import { latin1, packetPdf } from '../../src/hotline/packet-pdf.js';
import { NoConsent, PACKET_SCHEMA_ID, PACKET_VERSION, partnerRegion, referralPacket, suggestReferral } from '../../src/hotline/referral.js';
import type { Case } from '../../src/hotline/types.js';

const { data } = loadContent();
const { partners, regions, indicators } = data;
const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'referral-packet.schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('version');
const validate = ajv.compile(schema);

const first = (s: ReturnType<typeof suggestReferral>) => s.suggested?.partner;

describe('the suggested referral', () => {
  it('a case abroad goes first to the Indonesian mission in that country', () => {
    expect(first(suggestReferral({ country: 'KH', homeRegion: null, indicated: false, need: null }, partners, regions))).toBe('kbri_phnom_penh');
    // Two missions in one country: both offered, before any office at home.
    const sa = suggestReferral({ country: 'SA', homeRegion: null, indicated: false, need: null }, partners, regions);
    expect(sa.options.slice(0, 2).map((o) => o.partner).sort()).toEqual(['kbri_riyadh', 'kjri_jeddah']);
    expect(sa.options[0]!.reason).toBe('embassy_in_country');
  });

  it('a country without a mission in the data goes to the foreign ministry\'s citizen protection', () => {
    const s = suggestReferral({ country: 'ZZ', homeRegion: null, indicated: false, need: null }, partners, regions);
    expect(s.suggested).toEqual({ partner: 'kemlu_pwni', kind: 'ministry_protection', reason: 'citizen_protection' });
  });

  it('KP2MI\'s provincial office for the home region when known, else KP2MI itself', () => {
    expect(partnerRegion(partners.get('bp3mi_ntt')!, regions)).toBe('NT');
    const home = suggestReferral({ country: 'ID', homeRegion: 'NT', indicated: false, need: null }, partners, regions);
    expect(home.suggested).toMatchObject({ partner: 'bp3mi_ntt', reason: 'home_region_office' });
    expect(first(suggestReferral({ country: 'ID', homeRegion: 'AC', indicated: false, need: null }, partners, regions))).toBe('kp2mi');
    const abroad = suggestReferral({ country: 'MY', homeRegion: 'NT', indicated: false, need: null }, partners, regions);
    expect(abroad.options.map((o) => o.partner)).toContain('bp3mi_ntt');
  });

  it('by need: social affairs for a victim\'s assistance, police for prosecution, IOM for return; an indicated victim at home goes to social affairs', () => {
    const at = (need: 'assistance' | 'prosecution' | 'return' | 'consular' | null, indicated = false, country = 'ID') => suggestReferral({ country, homeRegion: null, indicated, need }, partners, regions);
    expect(at('assistance').suggested).toMatchObject({ kind: 'social_affairs', reason: 'victim_assistance' });
    expect(at('prosecution').suggested).toMatchObject({ kind: 'police', reason: 'prosecution' });
    expect(at('return').suggested).toMatchObject({ kind: 'international', reason: 'return_and_reintegration' });
    expect(at('return', false, 'MY').suggested).toMatchObject({ kind: 'embassy' });
    expect(at(null, true).suggested).toMatchObject({ kind: 'social_affairs' });
    // An indicated victim abroad: the mission first, then every partner the mechanism involves.
    const kinds = at(null, true, 'KH').options.map((o) => o.kind);
    expect(kinds[0]).toBe('embassy');
    for (const k of ['migrant_ministry', 'social_affairs', 'police', 'international'] as const) expect(kinds).toContain(k);
    // Each partner once.
    expect(new Set(at(null, true, 'KH').options.map((o) => o.partner)).size).toBe(kinds.length);
  });
});

const NOW = Date.UTC(2026, 10, 30, 12);

function aCase(extra: Partial<Case> = {}): Case {
  const yes = indicators.list.slice(0, 2).map((i) => i.id);
  const ident: Identification = { ...assess(Object.fromEntries(yes.map((id) => [id, 'yes'])), indicators), passportHeldBy: 'employer', passport: 'C1234567', homeRegion: 'NT', need: null, by: 'budi', at: NOW - 1000 };
  return {
    id: 'WSP-7K3M-9Q', kind: 'missing', urgent: true, stage: 'verified', lang: 'id', channel: 'telegram', openedAt: NOW - 86_400_000, updatedAt: NOW,
    claimedBy: 'budi', claimUntil: null, partner: null, outcome: null, closedAt: null, consentShare: true,
    details: {
      name: 'Siti Aminah', age: 24, relation: 'kakak', country: 'KH', city: 'Sihanoukville', employer: 'PT Cahaya Samudra', recruiterContact: '0812 9999 8888',
      lastContact: '3 minggu lalu', story: 'Paspornya ditahan; dia menangis di telepon', danger: true, offerText: 'LOWONGAN ...', additions: [{ at: NOW, text: 'nomor baru 0813 1111 2222' }],
    },
    reporter: { channel: 'telegram', userId: '55501', contact: '+62 812-5550-1234' },
    notes: [{ at: NOW, by: 'budi', text: 'internal: agen tidak berizin', family: false }],
    erased: [], version: 3, identification: ident,
    ...extra,
  };
}

describe('the referral packet', () => {
  it('holds only the consented fields: never the reporter, their numbers, the story, notes, additions, the offer or the passport number', () => {
    const p = referralPacket(aCase(), { partners, indicators, regions, now: NOW });
    expect(p).toMatchObject({
      schema: PACKET_SCHEMA_ID, version: PACKET_VERSION, case: 'WSP-7K3M-9Q', kind: 'missing', consent: { share: true },
      person: { name: 'Siti Aminah', age: 24 }, lastKnown: { country: 'KH', city: 'Sihanoukville', lastContact: '3 minggu lalu' },
      employer: 'PT Cahaya Samudra', recruiter: { contact: '0812 9999 8888' }, passport: { heldBy: 'employer' }, urgency: { urgent: true, danger: true },
      destination: { partner: 'kbri_phnom_penh', kind: 'embassy', confirmed: false, reason: 'embassy_in_country' },
    });
    expect(p.identification!.indicators.map((i) => i.id)).toEqual(indicators.list.slice(0, 2).map((i) => i.id));
    const text = JSON.stringify(p);
    for (const secret of ['55501', '5550-1234', 'menangis', 'internal', 'nomor baru', 'LOWONGAN', 'C1234567', 'kakak', 'budi']) expect(text).not.toContain(secret);
  });

  it('exists only with the reporter\'s consent', () => {
    expect(() => referralPacket(aCase({ consentShare: false }), { partners, indicators, regions, now: NOW })).toThrow(NoConsent);
  });

  it('names the partner staff referred the case to as confirmed, else the suggestion', () => {
    const p = referralPacket(aCase({ partner: 'iom_indonesia', stage: 'referred' }), { partners, indicators, regions, now: NOW });
    expect(p.destination).toMatchObject({ partner: 'iom_indonesia', kind: 'international', confirmed: true, reason: null });
  });

  it('validates against its JSON Schema (with and without an interview), and the schema has an $id and a version', () => {
    expect(schema.$id).toBe(PACKET_SCHEMA_ID);
    expect(schema.version).toBe(PACKET_VERSION);
    for (const c of [aCase(), aCase({ identification: null, details: { name: null, country: null } }), aCase({ partner: 'polri' })]) {
      const p = referralPacket(c, { partners, indicators, regions, now: NOW });
      expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
    }
    // The schema is strict: an extra field (a reporter's number, say) fails.
    const extra = { ...referralPacket(aCase(), { partners, indicators, regions, now: NOW }), reporter: { contact: '+62 812' } };
    expect(validate(extra)).toBe(false);
  });

  it('as PDF: a PDF document with the case number, its Indonesian text printable in Helvetica', async () => {
    const pdf = await packetPdf(referralPacket(aCase(), { partners, indicators, regions, now: NOW }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('WSP-7K3M-9Q');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect(latin1('Sihanoukville – Đà Nẵng 😢 é')).toBe('Sihanoukville ? ?à N?ng ? é');
  });
});
