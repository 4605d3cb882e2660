// A referral packet as a PDF, for partner offices that take a document rather than JSON. pdfkit with its
// built-in Helvetica (nothing is fetched or read from disk at run time): it covers Latin-1, which holds
// Indonesian; a character outside it (a name in another script, an emoji) is printed as "?" and stays
// exact in the JSON export. Labels are bilingual, Bahasa Indonesia first. pdfkit is loaded with the
// first PDF, not with the staff API.
import type { ReferralPacket } from './referral.js';

/** Text Helvetica can print: Latin-1 (accents composed), anything else "?". */
export function latin1(text: string): string {
  return text.normalize('NFC').replace(/[^\n\x20-\x7e\xa0-\xff]/gu, '?');
}

const STRENGTH: Record<string, string> = { strong: 'kuat / strong', medium: 'sedang / medium', weak: 'lemah / weak' };
const HELD_BY: Record<string, string> = {
  self: 'orangnya sendiri / the person',
  employer: 'majikan / employer',
  recruiter: 'perekrut / recruiter',
  agency: 'agen / agency',
  other: 'orang lain / someone else',
  unknown: 'tidak diketahui / unknown',
};

const or = (v: string | number | boolean | null | undefined, none = '-') => (v === null || v === undefined || v === '' ? none : String(v));

/** The packet as PDF bytes (the case number in the document's title, on the first line and in the file). */
export async function packetPdf(p: ReferralPacket): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Paket rujukan / Referral packet ${p.case}`, Author: 'Waspada', Subject: `${p.schema} ${p.version}`, CreationDate: new Date(p.exportedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (t: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(latin1(t)).moveDown(0.2);
  const row = (label: string, value: string) => doc.font('Helvetica-Bold').fontSize(10).text(`${latin1(label)}: `, { continued: true }).font('Helvetica').text(latin1(value));

  doc.font('Helvetica-Bold').fontSize(16).text(`Paket rujukan / Referral packet ${p.case}`);
  doc.font('Helvetica').fontSize(9).text(latin1(`${p.schema} v${p.version} - dibuat / exported ${p.exportedAt} - kasus dibuka / opened ${p.openedAt}`));
  doc.text('Pelapor setuju kasus ini dibagikan ke mitra rujukan. / The reporter agreed to share this case with referral partners.');

  heading('Kedesakan / Urgency');
  row('Mendesak / Urgent', p.urgency.urgent ? 'ya / yes' : 'tidak / no');
  row('Dalam bahaya / In danger', p.urgency.danger === null ? '-' : p.urgency.danger ? 'ya / yes' : 'tidak / no');

  heading('Orang yang dilaporkan / Person reported');
  row('Nama / Name', or(p.person.name));
  row('Umur / Age', or(p.person.age));
  row('Negara terakhir / Last known country', or(p.lastKnown.country));
  row('Kota / City', or(p.lastKnown.city));
  row('Kabar terakhir / Last heard from', or(p.lastKnown.lastContact));
  row('Majikan atau agen / Employer or agency', or(p.employer));
  row('Kontak perekrut / Recruiter contact', or(p.recruiter.contact));
  row('Paspor dipegang / Passport held by', p.passport.heldBy ? HELD_BY[p.passport.heldBy]! : '-');

  heading('Identifikasi / Identification');
  if (!p.identification) doc.font('Helvetica').fontSize(10).text('Belum diisi / Not filled in');
  else {
    row('Hasil / Result', p.identification.indicated ? 'ada indikator perdagangan orang: rujuk untuk identifikasi resmi / trafficking indicators present: refer for formal identification' : 'tidak ada indikator yang terpenuhi / no indicator present');
    row('Tanggal / Assessed', p.identification.assessedAt);
    for (const i of p.identification.indicators) doc.font('Helvetica').fontSize(10).text(latin1(`- ${i.question.id} / ${i.question.en}${i.strength ? ` (${STRENGTH[i.strength] ?? i.strength})` : ''}`), { indent: 10 });
  }

  heading('Tujuan rujukan / Referral destination');
  if (!p.destination) doc.font('Helvetica').fontSize(10).text('Belum ada / None yet');
  else {
    row('Kantor / Office', `${p.destination.name.id} / ${p.destination.name.en}`);
    row('Status', p.destination.confirmed ? 'dirujuk oleh petugas / referred by staff' : 'saran Waspada, belum dikonfirmasi / suggested, not confirmed');
  }
  doc.end();
  return done;
}
