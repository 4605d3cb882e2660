// A cheap first look, run by the conversation service on every message: might this text be a job
// offer? Only the checker's own offer words are looked for (no normalising, no model), so it costs
// one regular-expression scan of a long text and nothing at all for an ordinary short message. It may
// say yes to a long story about work; the checker itself then judges.
import { JAPAN_INTERNSHIP_RE, MAX_CHARS, OFFER_WORDS_RE } from './lexicon.js';

/** Shorter texts are answers, questions and commands, not pasted offers (the engine's choice steps use the same bound). */
export const OFFER_HINT_MIN = 100;

const OFFER_WORDS = new RegExp(OFFER_WORDS_RE, 'i');
/**
 * Or money promised to migrant workers, with an amount ("dana bantuan Rp150 juta untuk TKI"): not a
 * job offer, but the checker reads it (aid_by_chat), and a worker may forward one. A family writing
 * about a relative abroad names no such sum.
 */
const AID_WORDS = /\b(?:dana bantuan|bantuan (?:dana|sosial|tunai|kesehatan)|penghargaan|sumbangan|santunan)\b/i;
const MIGRANT_WORDS = /\b(?:tki|tkw|pmi|pekerja migran|tenaga kerja indonesia|pahlawan devisa)\b/i;
const SUM = /\b\d+(?:[.,]\d+)? ?(?:juta|jt|triliun|miliar)\b|\b(?:rp|nt)\b\.? ?\$?\.? ?\d|\b\d{1,3}(?:[.,]\d{3}){2,}/i;

/**
 * Or an announcement of recruitment in the words such announcements use instead: an official placement
 * scheme named (EPS-TOPIK, G to G, SSW, IM Japan…), the civil service's intake (CPNS, PPPK, formasi),
 * or an intake of officers, employees or members ("penerimaan calon pegawai", "pendaftaran petugas").
 * "Pendaftaran EPS-TOPIK Korea sektor manufaktur dibuka" has none of the offer words above.
 */
const RECRUITMENT_WORDS = new RegExp(
  [
    String.raw`\beps[- ]?topik\b|\beps korea\b|\bg ?-? ?to ?-? ?g\b|\bg2g\b|\bgovernment[- ]to[- ]government\b|\bemployment permit system\b|\btriple win\b|\bkangoshi\b|\bkaigofukushishi\b`,
    String.raw`\bspecified skilled workers?\b|\bssw\b|\btokutei ginou\b|${JAPAN_INTERNSHIP_RE}`,
    String.raw`\bcpns\b|\bpppk\b|\bcasn\b|\bformasi\b`,
    // what someone was offered ("adik saya ditawari jadi admin di Kamboja")
    String.raw`\bditawari\b|\bditawarkan\b|\btawaran kerja\b|\bjob offer\b`,
    String.raw`\b(?:penerimaan|pendaftaran|rekrutmen|seleksi) (?:calon )?(?:pegawai|karyawan|petugas|anggota|tenaga|guru|perawat|pendamping|relawan|mitra)\b`,
  ].join('|'),
  'i',
);

/**
 * A family writing about their own relative ("adik saya berangkat kerja ke Malaysia dan tidak bisa
 * dihubungi"): work and departure words, but a person's story, not an offer (the report of a missing
 * relative is theirs to make). Unless the text also has what only an offer has: a vacancy, pay of an
 * amount, a selection ("anak saya dapat tawaran ini: lowongan … gaji 15 juta" is an offer forwarded);
 * where the relative is missing or in trouble, only a vacancy itself makes it one (the story may well
 * tell of the offer they went for and the money it cost).
 */
// "keluarga kami" is also a recruiter's ("bergabunglah dengan keluarga kami"): the family's is "keluarga saya".
const OWN_RELATIVE = /\b(?:adik|kakak|abang|anak|suami|istri|isteri|ibu|bapak|ayah|mama|papa|emak|keponakan|sepupu|saudara|saudari|paman|bibi|tante|om|cucu|menantu|pacar|tunangan)(?:ku| (?:saya|kami|aku|kita))\b|\bkeluarga(?:ku| saya| aku)\b|\bmy (?:sister|brother|son|daughter|husband|wife|mother|father|mom|dad|niece|nephew|aunt|uncle|relative|family|fianc[eé]e?|girlfriend|boyfriend)\b/i;
const IN_TROUBLE = new RegExp(
  String.raw`\btidak (?:bisa|dapat) dihubungi\b|\b(?:tidak|tak|belum) (?:ada )?(?:kabar|memberi kabar|pulang|berangkat)\b|\bhilang\b|\bputus kontak\b|\bdisekap\b|\bditahan\b|\bdisiksa\b|\bdipukul\b|\bdijual\b|\bkabur\b|\bmeninggal\b|\bsakit\b|\b(?:ingin|mau|minta) pulang\b|\bdipotong\b|\b(?:tidak|belum|berhenti) (?:di)?bayar\b|\blapor(?:kan)? ke (?:mana|siapa)\b|\bmissing\b|\b(?:no|not heard) (?:news|from)\b|\bcan(?:no|')t reach\b|\bcannot contact\b|\blocked (?:up|in)\b|\bbeaten\b|\bhelp us find\b` +
    // a passport taken: what happened to them (the withholding of papers is a forced-labour sign). (Not
    // "tidak bisa keluar" / "cannot leave": a forwarded offer's rule says it too, "selama kontrak".)
    String.raw`|\bpaspor(?:nya| saya| dia| kami)? (?:sudah |telah )?(?:di)?(?:tahan|ambil|sita|pegang|rampas)\b|\b(?:took|taken|kept|held|holding|confiscated|seized) (?:away )?(?:my|his|her|our|their) passports?\b|\bpassports? (?:was|were|has been|have been) (?:taken|confiscated|seized)\b`,
  'i',
);
const VACANCY = /\blowongan\b|\bloker\b|\blowker\b|\bdibutuhkan\b|\bdicari\b|\bhiring\b|\bvacanc\w*\b|\bwanted\b|\bformasi\b/i;
const OFFER_ITSELF = new RegExp(
  String.raw`${VACANCY.source}|\brekrut\w*\b|\brekruitmen\b|\blamaran\b|\bmelamar\b|\bkualifikasi\b|\bqualifications?\b|\brequirements?\b|\bapply\b|\bpendaftaran\b|\btawaran\b|\bditawari\b|\bditawarkan\b|\bseleksi\b|\bselection\b|\binterview\b|\bwawancara\b|\boffer\w*\b|\bearns?\b|\bikut (?:saya|kami)\b` +
    String.raw`|\b(?:gaji|upah|salary|wages?|penghasilan|income|dibayar|paid)\b[^.\n]{0,25}?(?:\d|\brp\b|\busd\b|\$|juta|million)|\b\d+(?:[.,]\d+)? ?(?:juta|jt|million) ?(?:sebulan|per ?bulan|\/ ?bulan|a month|per month)\b|\b(?:sebulan|per ?bulan) (?:dapat |dapet |bisa )?\d+(?:[.,]\d+)? ?(?:juta|jt)\b`,
  'i',
);
/** Asked whether it is real: whatever else the text tells, it is to be checked. */
const CHECK_THIS = /\bapa(?:kah)? (?:ini |itu )?(?:aman|asli|resmi|benar|beneran|penipuan|hoax|hoaks)\b|\b(?:ini|itu) (?:aman|asli|resmi|beneran|penipuan)\b|\b(?:aman|asli|resmi|beneran|penipuan|nipu)\b[^.?!\n]{0,12}\b(?:tidak|gak|ga|nggak|ngga|enggak|bukan)\b|\bis (?:it|this|that) (?:real|a scam|safe|legit|genuine|true)\b/i;

/**
 * True when `text` is long enough to be a pasted offer and uses the words offers use (lowongan, gaji,
 * hiring…) or recruitment announcements use, or promises migrant workers a sum of aid; not a family's
 * story about their own relative.
 */
export function looksLikeOffer(text: string): boolean {
  if (text.length < OFFER_HINT_MIN) return false;
  const t = text.trim();
  if (t.length < OFFER_HINT_MIN) return false;
  // The checker reads no further than this either.
  const read = t.length > MAX_CHARS ? t.slice(0, MAX_CHARS) : t;
  if (AID_WORDS.test(read) && MIGRANT_WORDS.test(read) && SUM.test(read)) return true;
  if (!OFFER_WORDS.test(read) && !RECRUITMENT_WORDS.test(read)) return false;
  if (!OWN_RELATIVE.test(read) || CHECK_THIS.test(read)) return true;
  return IN_TROUBLE.test(read) ? VACANCY.test(read) : OFFER_ITSELF.test(read);
}
