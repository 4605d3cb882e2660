/**
 * Rule stage of the checker: normalise → red-flag and lawful-signal detectors → facts.
 * Pure and synchronous; every regex is compiled once at module load. The text is normalised once
 * per check; the expressions run over the whole normalised text are registered with a literal
 * prefilter (prefilter.ts), and one that cannot match it is not run.
 */
import { normalise, toOriginal, fromOriginal, modelTokens, modelWords, type Normalised } from './normalise.js';
import { LiteralIndex, loadWordsTable, type Scan, type WordsTable } from './prefilter.js';
import {
  RULES, NEGATION_BEFORE, ENTERTAINMENT_RE, SCAM_JOB_RE, CROSSING_RE, IRREGULAR_RE, ONWARD_RE, ABROAD_RE,
  ONE_CHANNEL_RE, FISHING_DEBT_RE, OFFER_WORDS_RE, JAPAN_INTERNSHIP_RE, REQUIRES_EXPERIENCE_RE, FEE_ADVICE, MAX_CHARS, type Detector, type RuleDef,
} from './lexicon.js';
import { COMPILED_PLACES, PLACE_NEGATION, type PlaceKind } from './places.js';
import { schemesNamed, SCHEME_NAMES, type SchemeId } from './schemes.js';
import { institutionsNamed, type InstitutionId } from './institutions.js';
import {
  TASK_CUES, INSTITUTION_CUES, OVERSEAS_CUES, LETTER_CUES, FREE_MAIL, SEEKING_WORK, FAMOUS_EMPLOYER, taskWeight, overseasWeight, letterWeight, taskPayHigh, taskDayIdr, institutionWeight, employerNamed, widePayBand, WIDE_BAND_EXPRESSIONS, unofficialLink, lookalikeLink, institutionalLink, defangedLinks, hostOf,
  CHAT_HOSTS, type TaskCue, type TaskSigns, type InstitutionCue, type OverseasCue, type LetterCue,
} from './families.js';
import {
  extractMoney, detectJobs, extractPhones, JOBS, extractLinks, referenceMonthlyIdr, LOW_SKILL_JOBS, extractHandles, extractEmails, extractAccounts,
  ZERO_COST_JOBS, type Money,
} from './facts.js';

export { MAX_CHARS };
export const EVIDENCE_MAX = 120;
/** preferred quote length: a long sentence is cut to the clauses around the match */
const EVIDENCE_SOFT = 80;

/**
 * Detectors that weigh context (places, jobs, money) rather than one lexicon rule: their entries;
 * their code is in analyse() below. The lexicon's rules are the other detectors (lexicon.ts).
 */
export const CONTEXT_DETECTORS: readonly Detector[] = [
  { id: 'risky_destination', advice: ['scam_compound_warning'] },
  { id: 'scam_job_type', advice: ['scam_compound_warning'] },
  { id: 'entertainment_abroad', advice: ['entertainment_risk'] },
  { id: 'irregular_route', advice: ['no_irregular_route'] },
  { id: 'domestic_moratorium', advice: ['moratorium_domestic'] },
  { id: 'fishing_debt', advice: ['fishing_crew_rights'] },
  { id: 'fee_for_zero_cost_job', advice: FEE_ADVICE },
  { id: 'pay_unrealistic', advice: ['too_good_pay'] },
  { id: 'task_scam', advice: ['task_scam_warning'] },
  { id: 'fake_institution', advice: ['check_official_site'] },
  { id: 'unverified_institution', advice: ['check_official_site'] },
  { id: 'link_not_shown', advice: ['verify_company'] },
  { id: 'form_link_only', advice: ['verify_company'] },
  { id: 'share_to_apply', advice: ['no_share_to_apply'] },
  { id: 'aid_by_chat', advice: ['no_aid_by_chat'] },
  { id: 'mass_recruitment_abroad', advice: ['use_official_channels'] },
  { id: 'fake_job_letter', advice: ['job_letter_warning'] },
];

export interface Flag {
  id: string;
  weight: number;
  evidence: string[];
}

export interface Facts {
  destination?: string;
  country?: string;
  job?: string;
  pay?: { amount: number; currency: string; perMonthIdr?: number }[];
  fees?: string[];
  phones: string[];
  links: string[];
  /** Telegram/Instagram @handles, e-mail addresses and bank accounts named in the offer (only when there are any). */
  handles?: string[];
  emails?: string[];
  accounts?: string[];
  /** Official placement schemes the offer names (schemes.ts): the verdict points to where they announce. */
  schemes?: SchemeId[];
  /**
   * Institutions recruitment is announced in the name of (institutions.ts): a fake's or a real one's,
   * the verdict points to where the institution announces its recruitment.
   */
  institutions?: InstitutionId[];
  /**
   * The job is in Indonesia though no place is named: recruitment announced in the name of an
   * Indonesian institution (a ministry, a state company, a public body, an employer here) with no
   * place or word of work abroad. Where to check and report is then at home (see jobInIndonesia in heading.ts).
   */
  home?: true;
}

export interface Analysis {
  original: string;
  norm: Normalised;
  flags: Flag[]; // red flags (weight > 0) and lawful signals (weight < 0)
  facts: Facts;
  notes: string[];
  abroad: boolean;
  isOffer: boolean;
  /** features for the statistical model: `head`, then the model's tokens of `words` (worked out when read) */
  readonly features: string[];
  /** the features of the rules (places, jobs, flags…), in order */
  head: string[];
  /** the words the model reads (modelWords) */
  words: string[];
}

interface CompiledRule extends Omit<RuleDef, 'patterns' | 'cancelAfter' | 'advice'> {
  res: RegExp[];
  cancel?: RegExp;
}

/** The expressions run over the whole normalised text (prefilter.ts). */
export const RULE_INDEX = new LiteralIndex(loadWordsTable);
/** Their words, read from their sources: what src/checker/prefilter.json should hold. */
export const prefilterWords = (): WordsTable => RULE_INDEX.table();

const COMPILED_RULES: CompiledRule[] = RULES.map((r) => {
  const c: CompiledRule = {
    id: r.id,
    weight: r.weight,
    res: r.patterns.map((p) => RULE_INDEX.add(new RegExp(p, 'g'))),
  };
  if (r.negatable !== undefined) c.negatable = r.negatable;
  if (r.needsAbroad !== undefined) c.needsAbroad = r.needsAbroad;
  if (r.abroadBoost !== undefined) c.abroadBoost = r.abroadBoost;
  if (r.cancelAfter !== undefined) c.cancel = new RegExp(r.cancelAfter);
  return c;
});
const NEG_RE = new RegExp(NEGATION_BEFORE);
const G = (src: string) => RULE_INDEX.add(new RegExp(src, 'g'));
const ENTERTAINMENT = G(ENTERTAINMENT_RE);
const SCAM_JOB = G(SCAM_JOB_RE);
const CROSSING = G(CROSSING_RE);
const IRREGULAR = G(IRREGULAR_RE);
const ONWARD = G(ONWARD_RE);
const ABROAD = G(ABROAD_RE);
/** Going abroad said without a place: what keeps a vacancy from being taken for a job at home (Facts.home). */
// (not "paspor bila ada" among a vacancy's papers, nor a "kartu Visa" to withdraw to)
const GOING_ABROAD = new RegExp(String.raw`\bpaspor\b(?! (?:bila|jika|kalau|apabila) ada)|\bpassport\b|(?<!kartu )\bvisa\b(?! (?:card|debit|credit))|\btiket (?:pesawat|penerbangan)\b|\bterbang\b|\bflight\b|\bkapal pesiar\b|\bcruise\b|\bpelayaran internasional\b|\babk\b|\bpelaut\b|\bseaman\b|\bberangkat ke\b|\bluar negeri\b|\boverseas\b|\babroad\b|\beps\b|\btopik\b|\bssw\b|\btokutei\b|${JAPAN_INTERNSHIP_RE}|\bg ?to ?g\b|\bg2g\b`);
const ONE_CHANNEL = RULE_INDEX.add(new RegExp(ONE_CHANNEL_RE));
const FISHING_DEBT = G(FISHING_DEBT_RE);
const OFFER_WORDS = RULE_INDEX.add(new RegExp(OFFER_WORDS_RE));
const REQUIRES_EXPERIENCE = RULE_INDEX.add(new RegExp(REQUIRES_EXPERIENCE_RE));
const DOMESTIC_JOB = G(String.raw`\bpembantu(?: rumah tangga)?\b|\bprt\b|\bart\b|\basisten rumah tangga\b|\bpekerja rumah tangga\b|\bpengurus rumah tangga\b|\bhousemaid\b|\bmaid\b|\bdomestic (?:helper|worker)\b|\bbaby ?sitter\b|\bnanny\b|\bpengasuh\b|\bcaregiver\b|\bperawat (?:lansia|jompo|orang tua)\b|\bsopir (?:pribadi|keluarga)\b|\bfamily driver\b|\bhouse ?keeper\b|\bhousehold\b`);
const FISHING_JOB = G(String.raw`\banak buah kapal\b|\bkapal (?:ikan|penangkap|nelayan|tuna|longline)\b|\bfishing (?:vessel|boat|crew|ship)\b|\bfishermen\b|\bfisherman\b|\bdeckhand\b|\bawak kapal perikanan\b|\blongliner\b`);
/** Costs said to be borne by the employer or a government: near a fee, it is not the worker's. */
const BORNE = G(String.raw`\b(?:ditanggung|dibayar(?:kan)?|diganti|dibiayai) (?:oleh )?(?:perusahaan|majikan|pemberi kerja|employer|pengguna|user|pemerintah|negara penempatan)\b|\b(?:paid|covered|borne|shouldered|reimbursed) by (?:the )?(?:employer|company|government|hiring)\b|\bat no cost to (?:the )?(?:worker|applicant)s?\b`);
/** "Up to", before an amount: a ceiling (commission), not a wage. */
const CEILING_BEFORE = /\b(?:hingga|sampai|s\.?d\.?|up to|maks(?:imal)?|max(?:imum)?)\s?(?:rp\.?\s?)?$/;
/** Years of experience or a degree asked for (not any "certificate", "licence" or "SIM A"). */
const QUALIFICATIONS = /\b(?:pengalaman|berpengalaman) (?:min(?:imal)?\.? ?|minimum |kerja )?[1-9]\d? ?(?:tahun|thn)\b|\b(?:min(?:imal)?\.?|minimum) [1-9]\d? (?:tahun|thn) pengalaman\b|\b[1-9]\d?\+? (?:years?|yrs?)'?(?: of)? (?:\w+ ){0,3}experience\b|\bat least [1-9]\d? years?\b|\b(?:bachelor|master)'?s? degree\b|\b(?:bachelor|master) of\b|\bsarjana\b|\blulusan (?:s1|s2|d3|d4)\b/;
/**
 * The people a short recruitment post asks for, by the names posts give them ("kasir, SPG, waiter",
 * "operator produksi"): with a hiring verb, or three of them in a list with a way to reach someone,
 * the post is an offer even with no "lowongan" or "gaji" in it.
 */
const ROLES = String.raw`staf|staff|karyawan|karyawati|pegawai|crew|kru|kasir|cashier|spg|spb|pramuniaga|pramusaji|pelayan|waiter|waitress|cook helper|cook|koki|juru masak|chef|bartender|barista|driver|sopir|supir|kurir|courier|satpam|security|admin|operator|helper|teknisi|technician|mekanik|mechanic|montir|(?:field ?)?workers?|cleaner|office boy|sales|marketing|buruh|kuli|tukang|perawat|nurse|guru|teacher|babysitter|baby sitter|pengasuh|asisten|assistant|relawan|volunteer|petugas|freelancer|reseller|host|hostess|terapis|therapist|penjahit|tailor|welder|receptionist|resepsionis|akuntan|accountant|drafter|supervisor|programmer|desainer|designer|pekerja`;
// Roles in the plural count too ("drivers", "nurses", "cleaners"): English posts name people wanted so.
const HIRING_ROLE = G(String.raw`\b(?:membutuhkan|mencari|butuh (?:cepat|segera)|lagi butuh|sedang butuh|lagi cari|we need|we are looking for|we're looking for|looking for|interviews? for) (?:\w+ ){0,3}?(?:${ROLES})(?:e?s)?\b`
  // A number of people wanted, whatever they are called: "looking for 50,000 youths", "mencari 300 orang
  // untuk bekerja". Plain people ("orang", "people") only wanted for work: the police or a search team
  // "mencari 3 orang" too ("nelayan yang hilang", "pelaku"), and a court "membutuhkan 2 orang saksi".
  + String.raw`|\b(?:looking for|recruiting|seeking|mencari|membutuhkan|merekrut) \d[\d.,]* (?:\w+ ){0,2}?(?:youths?|young people|graduates|candidates|applicants|pemuda|lulusan|tenaga kerja`
  + String.raw`|(?:people|persons|orang)(?= (?:\w+ ){0,2}?(?:untuk|to|for) (?:bekerja|kerja|dipekerjakan|ditempatkan|work|be employed|employment|jobs?|train|join|posisi|positions?)\b))\b`);
const ROLE = G(String.raw`\b(?:${ROLES})(?:e?s)?\b`);
/** A shop's or an operator's promotion to drivers, couriers and resellers lists people too: not a vacancy. */
const PROMO = /\b(?:promo|diskon|discount|cashback|voucher|paket data|kuota internet|gratis ongkir)\b/;
/** A way to reach someone, said in words ("minat hub", "japri", "DM"). */
const REACH_WORDS = /\b(?:minat|hub|hubungi|whatsapp|japri|dm|inbox|kontak|contact|call|telp|telepon)\b/;
/** Applicants and a selection they go through (with money asked of them: see feeToBeSelected). */
const APPLICANTS = /\b(?:peserta|pelamar|calon (?:peserta|pegawai|karyawan|pekerja|asn|pns|pppk)|kandidat|applicants?|candidates?)\b/;
const SELECTION = /\b(?:tes|test|tesnya|seleksi|ujian|wawancara|interview|psikotes|sk (?:pppk|pns|cpns))\b/;
/** A street address ("Jl. Raya ...", "Jalan ..."): where applications go by hand or by post. */
const STREET = /\b(?:jl|jln|jalan)\b\.? ?[a-z0-9]/;

/** Words of the recruiting cue that open any sign-up (a webinar, a vaccination, a contest), not only a vacancy. */
const SIGN_UP = /^(?:pendaftaran|dibuka|di buka|membuka|membutuhkan|seleksi|formasi|pelamaran|daftarkan (?:diri|dirimu)|bergabung (?:bersama|dengan|menjadi))$/;

/**
 * Whether a vacancy in a famous company's name gives no way of applying of the company's own: no link
 * (its careers site or a job board; a link off its domain is judged as the fake it is above), no
 * e-mail address on a domain other than a free-mail one, no street address. What is left is a chat, a
 * link the post does not show, or nothing: what the fakes in big brands' names give (the brands
 * recruit through their own careers sites and say so).
 */
function famousEmployerOnly(t: string, facts: Facts, linkCount: number): boolean {
  if (linkCount > 0 || STREET.test(t)) return false;
  return !(facts.emails ?? []).some((e) => !FREE_MAIL.test(e));
}

/**
 * Where to apply is a link the post does not show: "klik link", "link di bio", "daftar melalui link
 * di bawah", "apply via the link in bio" (see link_not_shown in analyse).
 */
const LINK_NOT_SHOWN = G(
  String.raw`\b(?:klik|click|cek|buka|kunjungi|akses|tap) (?:the |web |website |di )?(?:link|tautan)\b|\blink (?:di ?bawah|dibawah|berikut|yang tertera|yg tertera|(?:di |pada |ada di |yang ada di )?bio)\b|\b(?:melalui|lewat|via) (?:link|tautan)\b|\blink in (?:the |our |my )?bio\b`,
);

/**
 * Being told to share the post or comment on it to be considered ("share this post in 10 groups, the
 * ones who shared a lot will receive a call", "comment 'Done' after sharing", "wajib share ke 10
 * grup"): engagement bait, how fake vacancy pages grow (see share_to_apply in analyse). Asking to pass
 * a vacancy on to friends who need work is not this.
 */
const SHARE_TO_APPLY = G(
  String.raw`\bshare (?:this|our|the) (?:post|ad|advert|advertisement|page|info|message)(?: \w+){0,2} (?:in|on|to|into) (?:\d+ |ten |five |all |many |other |more )?(?:\w+ )?groups?\b|\b(?:the ones|those|people|anyone|whoever) (?:who|that) (?:shared|share|shares) (?:(?:this|our|the) (?:posts?|ads?|adverts?)|a lot|the most|most|more)\b|\bthe more (?:you|people) share\b|\b(?:after|by|for) sharing (?:this|our|the) (?:post|ad|advert)\b|\bcomment ['"]?(?:done|yes|help)\b|\bclick ['"]?share\b|\b(?:share|bagikan|sebarkan|teruskan|forward)(?: \w+){0,4} (?:ke|di|to|in) (?:\d+|sepuluh|lima|tiga) ?(?:grup|grub|group)s?\b|\b(?:wajib|harus|syarat(?:nya)?|syarat daftar)\b[^.\n]{0,15}\b(?:share|bagikan|sebarkan)(?: \w+){0,2} (?:info|postingan|lowongan|loker|pesan|post|ini)\b|\byang (?:paling )?banyak (?:share|membagikan|menyebarkan|nge-?share)\b|\bkomen(?:tar|t)? ['"]?done\b`,
);
/** share_to_apply's weight: with nothing else, "medium"; with one more sign of the fake, "high". */
const SHARE_WEIGHT = 2.5;

/**
 * Money promised to migrant workers ("dana bantuan Rp150 juta untuk TKI/TKW", an "award" of NT$350.000
 * from the manpower ministry) to be claimed through a chat the message gives (see aid_by_chat in
 * analyse). The message names who gives (BP2MI, Depnaker, Kemenkes, "pemerintah") or not. The
 * normaliser writes "TKI", "TKW" and "PMI" as "pekerja migran".
 */
const AID_GIVEN = G(String.raw`\b(?:dana bantuan|bantuan (?:dana|sosial|tunai|kesehatan|langsung|pemerintah)|bansos|santunan|penghargaan|sumbangan|tunjangan (?:kesehatan|sosial)|dana (?:hibah|kompensasi|santunan))\b`);
const MIGRANT_WORKERS = G(String.raw`\b(?:pekerja migran|tenaga kerja indonesia|buruh migran|pahlawan devisa)\b`);
/** "PMI" in an SMS about blood donation is the Red Cross (Palang Merah Indonesia), not migrant workers. */
const RED_CROSS = /\b(?:donor|darah|palang merah)\b/;
/** An amount of money: "Rp150 juta", "NT $. 350.000", "275 Triliun", "300,000.000". */
const AMOUNT = /\b(?:rp|nt|idr|us)\b\.? ?\$?\.? ?\d|\b\d+(?:[.,]\d+)? ?(?:juta|jt|triliun|miliar|milyar)\b|\b\d{1,3}(?:[.,]\d{3}){2,}/;
/**
 * How the message says to claim it, in a chat it gives: "hubungi kami / panitia / staf", "wajib
 * menghubungi", "daftarkan ke nomor / WhatsApp", "inbox nama", "melaporkan identitas", "kode
 * registrasi", a wa.me link. A bare WhatsApp number to ask for information is not this.
 */
const CLAIM_BY_CHAT = G(String.raw`\b(?:hubungi|menghubungi)(?: \w+){0,2} (?:kami|pihak|panitia|penitia|staf|staff|stap|admin)\b|\b(?:daftarkan|mendaftarkan)(?: diri)? ke (?:nomor|whatsapp)\b|\binbox (?:nama|data|identitas)\b|\bmelaporkan identitas\b|\bkode (?:registrasi|klaim|pencairan)\b|\bchat ke whats ?h?app\b|\bsupaya segera (?:kami )?(?:cairkan|proses(?:kan)?)\b`);
/** The official complaint line named: the message points to the real channel. */
const OFFICIAL_LINE = /\b0800-?1000\b|\bpusat pengaduan\b|\bcrisis cent(?:er|re)\b/;
/**
 * A report about such a message, a denial or a warning, not the message: "beredar pesan…", "hoaks",
 * "jangan percaya", "tidak ada dana bantuan", "itu penipuan", "KP2MI menegaskan". The fraud says none
 * of these ("bukan hoaks" aside; its own "hati hati penipuan bila dimintai biaya" is not "itu penipuan").
 */
const REPORTED_HOAX = /(?<!\bbukan )\b(?:hoaks|hoax)\b|\bberedar (?:pesan|informasi|kabar|narasi|unggahan|postingan)\b|\bjangan (?:percaya|mudah percaya|tergiur|hubungi|kirim)\b|\btidak (?:ada|pernah)(?: \w+){0,3} (?:dana )?bantuan\b|\b(?:itu|adalah|merupakan) (?:hoaks|penipuan|palsu)\b|\b(?:menegaskan|membantah|mengklarifikasi)\b/;

/** "Registration free!" said loudly, and the words of a job (for the fake-institution detector). */
const LOUD_FREE = /\b(?:pendaftaran|daftar)\b[^.\n]{0,25}\bgratis\b|\bgratis\b[^.\n]{0,10}\b(?:pendaftaran|daftar)\b/;
const JOB_WORD = /\b(?:lowongan|loker|rekrut\w*|rekruitmen|pegawai|karyawan|petugas|relawan|pendamping|mitra|tenaga (?:kerja|kesehatan|pengajar|ahli)|guru|formasi|cpns|pppk|vacanc\w*|hiring)\b/;
/**
 * Work in view: a job word, or work or pay for it, applicants, a selection, departure, an employer, an
 * agency or a visa.
 */
const WORK_IN_VIEW = new RegExp(String.raw`${JOB_WORD.source}|\b(?:tenaga|pns|asn|honorer|kerja|bekerja|pekerjaan|pekerja|work|job|jobs|gaji|salary|upah|wages?|tugas|task|komisi|commission|peserta|pelamar|calon|kandidat|applicants?|candidates?|seleksi|tes|test|interview|wawancara|berangkat|keberangkatan|pemberangkatan|majikan|employer|visa|paspor|passport|sponsor|agen|agency|pt|training|pelatihan|magang)\b`);
/** Words of a warning about a scam, earlier in the same sentence. */
const WARNING_BEFORE = /\b(?:penipuan(?:nya)?|penipu|waspada|hati-hati|hati hati|modus(?:nya)?|hoaks|hoax|scams?|beware|palsu|(?:para |calon |menjadi )?korban|tidak pernah (?:meminta|memungut|menarik|membebankan)|never (?:ask|charge))\b/;
/** Where a civil-service seat sold around the selection is named within its match, and a broker named before it. */
const SPECIAL_ROUTE = /\b(?:jatah|jalur|orang dalam|koordinasi|berkoordinasi)\b/;
const BROKER_BEFORE = /(?<!\bbukan )\bcalo\b/;
/** The sentence up to `at` (from the previous sentence end or line break), at most `reach` characters. */
function sentenceBefore(t: string, at: number, reach = 160): string {
  const before = t.slice(Math.max(0, at - reach), at);
  const cut = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('. '), before.lastIndexOf('!'), before.lastIndexOf('?'));
  return cut >= 0 ? before.slice(cut + 1) : before;
}
/** How far (characters) a "borne by the employer" statement reaches to cancel a fee in the sentences around it. */
const BORNE_REACH = 250;
const TASK = Object.entries(TASK_CUES).map(([cue, src]) => [cue as TaskCue, G(src)] as const);
const OVERSEAS = Object.entries(OVERSEAS_CUES).map(([cue, src]) => [cue as OverseasCue, G(src)] as const);
const INSTITUTION = Object.entries(INSTITUTION_CUES).map(([cue, src]) => [cue as InstitutionCue, G(src)] as const);
/** The fake-institution cue groups that name who or what (read in warnings too); the others are what it asks or how one registers. */
const INSTITUTION_NAMES: ReadonlySet<InstitutionCue> = new Set<InstitutionCue>(['institution', 'state', 'recruiting', 'official']);
const JOB_LETTER = Object.entries(LETTER_CUES).map(([cue, src]) => [cue as LetterCue, G(src)] as const);
for (const p of COMPILED_PLACES) RULE_INDEX.add(p.re);
for (const [, re] of JOBS) RULE_INDEX.add(re);
// (run through the scan: most offers name no scheme and give no pay band)
for (const re of Object.values(SCHEME_NAMES)) RULE_INDEX.add(re);
for (const re of WIDE_BAND_EXPRESSIONS) RULE_INDEX.add(re);
const EMAIL_RE = /[\w.+-]+@[\w-]+\.[\w.]+/;
const ADDRESS_RE = RULE_INDEX.add(/\b(?:alamat|address|kantor|office|jl\.?|jalan|gedung|building|ruko|website|situs)\b/);
const IMAGE_RE = RULE_INDEX.add(/^(?:[[(<]?\s*(?:image|gambar|foto|photo|picture|pic|video|media|stiker|sticker|screenshot|tangkapan layar)(?:\s+(?:omitted|dihapus|attached|terlampir|tidak disertakan|ini|nya))?\s*[\])>]?\s*|[\w-]*\.(?:jpe?g|png|webp|heic|gif|mp4)|img[-_ ]?[\w-]*(?:\.\w+)?)$/);
const IMAGE_HINT_RE = RULE_INDEX.add(/\b(?:lihat|cek|see|check|liat|di|in|on|ada di)\s+(?:the\s+)?(?:gambar|foto|photo|picture|image|poster|brosur|flyer|pamflet)\b|\b(?:gambar|foto|photo|picture|image|poster|brosur|flyer|pamflet)\s+(?:di ?atas|above|below|di ?bawah|berikut|ini|this|terlampir|attached)\b/);

/** Indonesian function and common words (the language check counts them). */
const ID_WORDS: ReadonlySet<string> = new Set(
  (
    'yang dan di ke untuk dengan tidak ada kerja gaji bisa dari ini itu saya aku kamu kami kita anda ' +
    'akan juga atau sudah belum lowongan bulan tanpa langsung berangkat nanti ya mau lagi dulu sama ' +
    'kalau tapi buat orang hari pulang sekarang jangan harus perlu banyak sangat bagi pada dalam ' +
    'oleh kak bu pak nya sih aja saja dong kok jam minggu tahun baru masih hanya segera sore pagi ' +
    'malam besok rumah sekolah uang bayar info hubungi juta ribu rb jt harga jual dijual murah ' +
    'lengkap gratis cepat lokasi alamat syarat usia pengalaman pria wanita dibutuhkan dicari butuh ' +
    'minat hub ' +
    // more common words, and the short forms SMS and chats use (an SMS of few words had none of the above)
    'melalui lewat lakukan pilih gunakan beli dapat dapatkan dpt mulai hingga sampai berlaku ' +
    'terdekat nikmati cek terbaru aneka antar tujuan sbg yg dgn utk tdk sdh blm krn karena agar supaya ' +
    'jika bila apabila setelah sebelum sebagai seperti telah para kepada tersebut semua setiap tiap ' +
    'lebih paling atas bawah serta namun bahwa adalah merupakan menjadi kembali sini silakan ' +
    'silahkan mohon maaf selamat kirim terima kasih hadiah pulsa paket kuota isi ulang nomor ketik ' +
    'balas lihat sy km tsb bpk ibu mas mbak'
  ).split(' '),
);
/** English ones. */
const EN_WORDS: ReadonlySet<string> = new Set(
  (
    'the and to of for with you your we our is are will job work salary no in on per month apply a ' +
    'be this can'
  ).split(' '),
);

// ---------------------------------------------------------------- spans and evidence

type Span = [number, number]; // normalised-text offsets

/** Where in `original` each of `found` (its matches, in order) is. */
function linksAt(original: string, found: readonly string[]): Array<{ value: string; s: number; e: number }> {
  let from = 0;
  return found.flatMap((value) => {
    const s = original.indexOf(value, from);
    if (s < 0) return [];
    from = s + value.length;
    return [{ value, s, e: from }];
  });
}

function isNegated(t: string, s: number): boolean {
  return NEG_RE.test(sentenceBefore(t, s, 45));
}

/**
 * Where workers come from, not where they go: "nurses from the Philippines", "dari Filipina", "Thai
 * workers", or a news dateline ("MANILA, (PIA) --", "BANGKOK, Jan 2 –") at the start of a line.
 */
const ORIGIN_BEFORE = /(?:\b(?:from|dari|asal(?: dari)?|citizens? of|nationals? of|warga(?: negara)?)\s+(?:the\s+)?(?:republic of\s+(?:the\s+)?)?|\b(?:japan|jepang|indonesia|germany|jerman|korea|taiwan|malaysia|thailand|thai|philippines?|filipina|singapore|australia|canada|qatar|saudi|european?|eu|asean)-)$/;
const ORIGIN_AFTER = /^(?:n|ese|i|ns)?\s*(?:workers?|nationals?|citizens?|nurses?|caregivers?|job ?seekers?|applicants?|labou?rers?|labou?r(?! (?:laws?|regulations?|codes?|standards?|rules|market|ministry|department|office|bureau))|pekerja|tenaga kerja|warga)\b/;
const DATELINE_AFTER = /^(?:,? ?[a-z0-9 .]{0,30})?,? ?(?:\(?[a-z]{2,12}\)?\s*)?(?:[-\u2013\u2014]{1,2}|\()/;
/**
 * Workers named by nationality ("Filipino workers", "Thai nationals"): where they come from, for
 * countries whose demonym is not one of its place names.
 */
const ORIGIN_PEOPLE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:filipinos?|filipinas|pinoys?|pinays?)(?= (?:\w+ )?(?:workers?|nurses?|caregivers?|nationals?|citizens?|applicants?|job ?seekers?|labou?rers?|migrants?|seafarers?)\b)/, 'Philippines'],
  [/\bthais?(?= (?:\w+ )?(?:workers?|nationals?|citizens?|labou?rers?|migrants?)\b)/, 'Thailand'],
  [/\b(?:cambodians?|khmer)(?= (?:\w+ )?(?:workers?|nationals?|citizens?|migrants?)\b)/, 'Cambodia'],
  [/\bburmese(?= (?:\w+ )?(?:workers?|nationals?|citizens?|migrants?)\b)/, 'Myanmar'],
  [/\blao(?:tians?)?(?= (?:\w+ )?(?:workers?|nationals?|citizens?|migrants?)\b)/, 'Laos'],
];
/**
 * A country's own office that sends its workers abroad: a text naming it recruits that country's
 * people, whatever else it says of that country (the Philippines' POEA, now its Department of Migrant
 * Workers; Thailand's Department of Employment). Every mention of that country is the home side.
 */
const SENDING_OFFICE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bphilippine overseas employment administration\b|\bpoea\b|\bdepartment of migrant workers\b|\bdepartment of labou?r and employment\b|\bowwa\b/, 'Philippines'],
  [/\bthailand'?s? department of employment\b|\bthai department of employment\b/, 'Thailand'],
];

/**
 * The offer is made to Indonesians (it names them, or an Indonesian place, or is written in
 * Indonesian): then the other nationals it names ("work with Filipino workers", "Cambodian staff")
 * are colleagues where the job is, and the host country's labour office (the Philippines' DOLE
 * issues foreigners' work permits) is no sending office: neither makes that country the home side.
 */
const TO_INDONESIANS = /\b(?:indonesians?|orang indonesia|warga (?:negara )?indonesia|wni|tki|tkw|pmi|pekerja migran indonesia)\b/;

function placeIsOrigin(t: string, s: number, e: number): boolean {
  if (ORIGIN_BEFORE.test(t.slice(Math.max(0, s - 25), s)) || ORIGIN_AFTER.test(t.slice(e, e + 25))) return true;
  const lineStart = s === 0 || t[s - 1] === '\n';
  return lineStart && DATELINE_AFTER.test(t.slice(e, e + 40));
}

/** What separates the members of a list: a comma, "and", "dan", "&", "or", "atau", "serta", a slash. */
const LIST_SEP = /,|;|\/|&|\b(?:and|dan|or|atau|serta)\b/;
const LIST_SEPS = new RegExp(LIST_SEP.source, 'g');

/**
 * Between two places of one list: separators, and at most a few other members the place names do not
 * know ("uk, india, singapore": India), each of one or two words. Returns how many such members, or -1
 * when the gap is not part of a list.
 */
function listGap(gap: string): number {
  if (gap.length > 60 || !LIST_SEP.test(gap)) return -1;
  let members = 0;
  for (const piece of gap.split(LIST_SEPS)) {
    const w = piece.trim().replace(/^the\s+/, '');
    if (w === '') continue;
    if (!/^[a-z]+(?: [a-z]+)?$/.test(w)) return -1;
    members++;
  }
  return members <= 3 ? members : -1;
}

/**
 * The places that stand in a list of three or more countries of which at most a third are a scam hub
 * or a country without a placement agreement: a company's offices or markets, not a destination. A
 * list of hubs ("Thailand, Cambodia and Myanmar") is not one of these.
 */
function listedPlaces<P extends { span: Span; kind: PlaceKind; country: string }>(t: string, places: readonly P[]): Set<P> {
  const out = new Set<P>();
  const sorted = [...places].filter((p) => p.kind !== 'route').sort((a, b) => a.span[0] - b.span[0]);
  let run: P[] = [];
  let others = 0;
  const close = () => {
    const countries = new Set(run.map((p) => p.country));
    const risky = new Set(run.filter((p) => p.kind === 'scam_hub' || p.kind === 'no_agreement').map((p) => p.country));
    const size = countries.size + others;
    if (size >= 3 && risky.size * 3 <= size) for (const p of run) out.add(p);
    run = [];
    others = 0;
  };
  for (const p of sorted) {
    const last = run[run.length - 1];
    const gap = last && p.span[0] >= last.span[1] ? listGap(t.slice(last.span[1], p.span[0])) : -1;
    if (last && gap < 0) close();
    else if (gap > 0) others += gap;
    run.push(p);
  }
  close();
  return out;
}

function placeNegated(t: string, s: number): boolean {
  const before = t.slice(Math.max(0, s - 90), s);
  const cut = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('. '));
  return PLACE_NEGATION.test(cut >= 0 ? before.slice(cut + 1) : before);
}

/** Spans of the first 8 matches of `re` (a registered g expression) in the scanned text. */
function allMatches(re: RegExp, scan: Scan): Span[] {
  return scan.spans(re, 8);
}

function safeCut(text: string, i: number): number {
  // do not split a surrogate pair
  if (i > 0 && i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return i - 1;
  }
  return i;
}

/** True when text[i] ends a sentence: newline, bullet, "!", "?", or "." before a capital/newline/end. */
function isBoundary(text: string, i: number): boolean {
  const c = text[i];
  if (c === undefined) return true;
  if (c === '\n' || c === '!' || c === '?' || c === '•' || c === '|') return true;
  if (c === '.') {
    // "a.n. Budi", "No. Rek", "Jl. Merdeka", "PT. Maju": an abbreviation, not a sentence end.
    if (ABBREVIATION.test(text.slice(Math.max(0, i - 6), i))) return false;
    const next = text.slice(i + 1, i + 3);
    return next === '' || /^\s*$/.test(next) || /^\s[A-Z\u00C0-\u024F"'(]/.test(next) || next.startsWith('\n');
  }
  return false;
}

/** Words written with a full stop that does not end a sentence (the text before the stop ends with one). */
const ABBREVIATION = /(?:^|[\s(.])(?:a\.n|an|no|nomor|jl|jln|pt|cv|dr|drs|ir|mr|mrs|ms|st|tel|telp|hp|rek|kec|kab|kel|tgl|dll|dsb|u\.p|up|sdr|bpk|ibu|prof|h|hj|s\.pd|s\.kom|etc|e\.g|i\.e|vs|approx|min|max|maks|rp|usd|idr|inc|ltd|co|corp)$/i;

/**
 * Whether text[i] ends a clause: a comma, semicolon or colon, but not the comma inside a number
 * ("300,000.000", "1,5 juta") nor the colon of a link ("https://").
 */
function isClause(text: string, i: number): boolean {
  const c = text[i];
  if (c === undefined) return true;
  if (c !== ',' && c !== ';' && c !== ':') return false;
  if (c === ',' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) return false;
  return !(c === ':' && text.startsWith('//', i + 1));
}

/** A readable quote around original [os, oe): the sentence, else its clauses, at most EVIDENCE_MAX chars. */
export function quote(text: string, os: number, oe: number): string {
  oe = Math.max(oe, os + 1);
  // sentence around the match
  let s = os;
  while (s > 0 && s > os - 200 && !isBoundary(text, s - 1)) s--;
  let e = oe;
  while (e < text.length && e < oe + 200 && !isBoundary(text, e)) e++;
  if (e < text.length && /[.!?]/.test(text[e] ?? '')) e++;
  if (e - s > EVIDENCE_SOFT) {
    // clauses: grow from the match to the nearest commas, then add neighbours while it fits
    let cs = os;
    while (cs > s && !isClause(text, cs - 1)) cs--;
    let ce = oe;
    while (ce < e && !isClause(text, ce)) ce++;
    if (ce - cs <= EVIDENCE_MAX) {
      for (let grew = true; grew; ) {
        grew = false;
        let ns = cs - 1;
        while (ns > s && !isClause(text, ns - 1)) ns--;
        if (cs > s && ce - ns <= EVIDENCE_SOFT) { cs = ns; grew = true; }
        let ne = ce + 1;
        while (ne < e && !isClause(text, ne)) ne++;
        if (ce < e && ne - cs <= EVIDENCE_SOFT) { ce = ne; grew = true; }
      }
      s = cs;
      e = ce;
    } else {
      // one long clause: a window centred on the match, cut at word boundaries
      const pad = Math.max(0, Math.floor((EVIDENCE_MAX - (oe - os)) / 2));
      s = Math.max(cs, os - pad);
      e = Math.min(ce, oe + pad);
      while (s < os && s > 0 && /\S/.test(text[s - 1] ?? ' ')) s++;
      while (e > oe && e < text.length && /\S/.test(text[e] ?? ' ')) e--;
    }
  }
  s = safeCut(text, s);
  e = safeCut(text, e);
  let q = text.slice(s, e);
  // trim whitespace, bullets and stray punctuation at the edges (stays an exact substring)
  q = q.replace(/^[\s\-*•·,;:>)\]]+/u, '').replace(/[\s,;:\-*(\[]+$/u, '');
  return q.length > 0 ? q : text.slice(os, oe).trim();
}

function evidenceOf(a: { original: string; norm: Normalised }, spans: Span[], max = 2): string[] {
  const out: string[] = [];
  for (const [s, e] of spans) {
    const [os, oe] = toOriginal(a.norm, s, e);
    const q = quote(a.original, os, oe);
    if (q && !out.includes(q) && !out.some((o) => o.includes(q) || q.includes(o))) out.push(q);
    if (out.length >= max) break;
  }
  return out;
}

// ---------------------------------------------------------------- the analysis

/** Words of normalised text: runs of letters, digits and apostrophes holding a letter (as /[a-z][a-z0-9']*\/g counts them). */
function countWords(t: string): number {
  let n = 0;
  let inRun = false;
  let counted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const letter = c >= 97 && c <= 122;
    if (letter || (c >= 48 && c <= 57) || c === 39) {
      if (!inRun) {
        inRun = true;
        counted = false;
      }
      if (letter && !counted) {
        n++;
        counted = true;
      }
    } else inRun = false;
  }
  return n;
}

/** For the language check: 1 for an Indonesian word, 2 for an English one (3 for both). */
const LANGUAGE_WORDS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const w of ID_WORDS) m.set(w, 1);
  for (const w of EN_WORDS) m.set(w, (m.get(w) ?? 0) | 2);
  return m;
})();

/**
 * How many words are Indonesian and English words of the lists, counting only words that are whole
 * runs of \w characters (`whole`, see modelWords): what /\b(?:w1|w2|…)\b/g counts for each list,
 * whose words are all letters.
 */
function languageWords(words: readonly string[], whole: readonly number[]): { id: number; en: number } {
  let id = 0;
  let en = 0;
  for (let k = 0; k < words.length; k++) {
    if (whole[k] !== 1) continue;
    const bits = LANGUAGE_WORDS.get(words[k]!) ?? 0;
    id += bits & 1;
    en += bits >> 1;
  }
  return { id, en };
}

const LETTER = /\p{L}/uy;

/** Letters (code points of Unicode category L) and Latin letters (A-Z, a-z, U+00C0-U+024F) of the original text. */
function countLetters(original: string): { letters: number; latin: number } {
  let letters = 0;
  let latin = 0;
  for (let i = 0; i < original.length; i++) {
    const c = original.charCodeAt(i);
    if (c < 0x80) {
      const l = c | 0x20;
      if (l >= 97 && l <= 122) {
        letters++;
        latin++;
      }
      continue;
    }
    if (c >= 0xc0 && c <= 0x24f) latin++;
    LETTER.lastIndex = i;
    if (LETTER.test(original)) letters++;
    // a surrogate pair is one code point
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < original.length) {
      const d = original.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return { letters, latin };
}

const CONTACT_FILLER = /^(?:whatsapp|telegram|wa|hubungi|contact|call|chat|link|klik|click|info|daftar|sini|here|di|ke|cek|check|nomor|number|no|hp|handphone|tel|telp|phone)$/;

/**
 * Words other than contact filler ("hubungi", "whatsapp"…) left when the links and phone numbers are
 * blanked out of the text; counted as far as 3, since only "at most 2" matters. The words of a
 * prefix cut at a space are the first words of the whole text, so a long text is normalised again
 * only as far as its first few hundred characters.
 */
function fillerWords(original: string, links: Array<{ value: string }>, phones: Array<{ s: number; e: number }>): number {
  let residue = original;
  for (const l of links) residue = residue.split(l.value).join(' ');
  for (const p of phones) residue = residue.slice(0, p.s) + ' '.repeat(p.e - p.s) + residue.slice(p.e);
  const count = (text: string) => (normalise(text).text.match(/[a-z]{2,}/g) ?? []).filter((w) => !CONTACT_FILLER.test(w)).length;
  const cut = residue.indexOf(' ', 300);
  if (cut > 0) {
    const n = count(residue.slice(0, cut + 1));
    if (n > 2) return n;
  }
  return count(residue);
}

export function cutText(input: unknown): { text: string; notes: string[] } {
  const notes: string[] = [];
  let text = typeof input === 'string' ? input : input == null ? '' : String(input);
  if (text.length > MAX_CHARS) {
    text = text.slice(0, safeCut(text, MAX_CHARS));
    notes.push('truncated');
  }
  return { text, notes };
}

export function analyse(input: unknown): Analysis {
  const { text: original, notes } = cutText(input);
  const norm = normalise(original);
  const t = norm.text;
  /** Whether a match at `at` sits in a sentence that warns about the trick ("modusnya…", "beware of…"). */
  const inWarning = (at: number) => WARNING_BEFORE.test(sentenceBefore(t, at));
  const scan = RULE_INDEX.scan(t);
  const flags: Flag[] = [];
  const features: string[] = [];
  const ctx = { original, norm };

  const phones = extractPhones(original);
  const links = extractLinks(original);
  const facts: Facts = { phones: phones.map((p) => p.value), links: links.map((l) => l.value) };
  if (original.includes('@')) {
    const handles = extractHandles(original);
    const emails = extractEmails(original);
    if (handles.length) facts.handles = handles;
    if (emails.length) facts.emails = emails;
  }
  /** An e-mail address at a domain of its own (not a free-mail one): an employer's, to apply to. */
  const ownMail = (facts.emails ?? []).some((m) => !FREE_MAIL.test(m));
  const accounts = extractAccounts(original);
  if (accounts.length) facts.accounts = accounts;

  // ---------------- bad and odd input
  const wordCount = countWords(t);
  /** Why the text may be in a language the checker does not read (decided once the jobs are known). */
  let language: 'read' | 'other_script' | 'few_known_words' = 'read';
  const whole: number[] = [];
  const words = modelWords(t, whole);
  if (original.trim().length === 0) notes.push('empty');
  else {
    // only a link or a phone number: at most two other words besides them (counted only then)
    const filler = links.length > 0 || phones.length > 0 ? fillerWords(original, links, phones) : 0;
    if (links.length > 0 && filler <= 2) notes.push('only_link');
    else if (phones.length > 0 && filler <= 2) notes.push('only_phone');
    else if ((scan.may(IMAGE_RE) && IMAGE_RE.test(t.trim())) || (wordCount <= 12 && scan.test(IMAGE_HINT_RE))) notes.push('image_only');
    if (wordCount < 4 && !notes.includes('only_link') && !notes.includes('only_phone')) notes.push('too_short');
    // language: Latin letters and Indonesian/English function words
    const { letters, latin } = countLetters(original);
    const { id: idHits, en: enHits } = languageWords(words, whole);
    if (letters >= 12) {
      if (latin / letters < 0.5) language = 'other_script';
      else if (wordCount >= 8 && idHits + enHits < wordCount * 0.1) language = 'few_known_words';
    }
    features.push(idHits >= enHits ? 'L_id' : 'L_en');
  }

  // ---------------- places
  interface PlaceHit { country: string; kind: PlaceKind; span: Span; name: string }
  const places: PlaceHit[] = [];
  /** Countries the text names as where the workers come from ("Thai workers", a dateline). */
  const origins = new Set<string>();
  for (const p of COMPILED_PLACES) {
    for (const sp of allMatches(p.re, scan)) {
      if (p.kind !== 'indonesia' && p.kind !== 'route') {
        if (placeNegated(t, sp[0])) continue;
        if (placeIsOrigin(t, sp[0], sp[1])) {
          origins.add(p.country);
          continue;
        }
      }
      places.push({ country: p.country, kind: p.kind, span: sp, name: t.slice(sp[0], sp[1]) });
    }
  }
  const toIndonesians = features.includes('L_id') || places.some((p) => p.kind === 'indonesia') || TO_INDONESIANS.test(t);
  if (!toIndonesians) for (const [re, country] of ORIGIN_PEOPLE) if (re.test(t)) origins.add(country);
  // Where the workers come from is not where they go: once the text names a country as the workers'
  // origin and another as where they go, its other mentions ("employment offices in Bangkok",
  // "training in the Philippines") are the home side too; so are all of them once the text names
  // that country's own sending office, whether or not the checker knows where they go.
  const sent = new Set(toIndonesians ? [] : SENDING_OFFICE.filter(([re]) => re.test(t)).map(([, c]) => c));
  // (where they go: a foreign place that is not their origin)
  const elsewhere = origins.size > 0 && places.some((p) => p.kind !== 'indonesia' && p.kind !== 'route' && !origins.has(p.country));
  const home = (c: string) => sent.has(c) || (elsewhere && origins.has(c));
  if (sent.size > 0 || elsewhere) {
    for (let i = places.length - 1; i >= 0; i--) if (places[i]!.kind !== 'route' && home(places[i]!.country)) places.splice(i, 1);
  }
  const foreign = places.filter((p) => p.kind !== 'indonesia' && p.kind !== 'route');
  const abroadWords = allMatches(ABROAD, scan).filter((sp) => !isNegated(t, sp[0]));
  const abroad = foreign.length > 0 || abroadWords.length > 0;
  const KIND_ORDER: PlaceKind[] = ['scam_hub', 'middle_east', 'no_agreement', 'asia', 'other_abroad', 'route', 'indonesia'];
  const sortedPlaces = [...places].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.span[0] - b.span[0]);
  const main = sortedPlaces.find((p) => p.kind !== 'route') ?? sortedPlaces[0];
  if (main) {
    const [os, oe] = toOriginal(norm, main.span[0], main.span[1]);
    facts.destination = original.slice(os, oe);
    facts.country = main.country;
  }
  for (const k of new Set(places.map((p) => p.kind))) features.push(`P_${k}`);
  if (abroad) features.push('ABROAD');

  // ---------------- jobs
  const jobs = detectJobs(t, scan);
  if (jobs[0]) facts.job = jobs[0];
  const schemes = schemesNamed(t, (re) => scan.firstAt(re));
  if (schemes.length) facts.schemes = schemes;
  // Another script, or Latin letters with few Indonesian or English words: not a language the checker
  // reads. Except a list of job titles or a short recruitment post, which has few function words.
  if (language === 'other_script' || (language === 'few_known_words' && !(jobs.length >= 2 || scan.test(OFFER_WORDS)))) notes.push('unsupported_language');
  for (const j of jobs) features.push(`J_${j}`);

  // ---------------- lexicon rules
  const ruleSpans = new Map<string, Span[]>();
  for (const r of COMPILED_RULES) {
    const spans: Span[] = [];
    for (const re of r.res) {
      for (const sp of allMatches(re, scan)) {
        if (r.negatable && isNegated(t, sp[0])) continue;
        if (r.cancel && r.cancel.test(t.slice(sp[1], sp[1] + 70))) continue;
        spans.push(sp);
      }
    }
    if (spans.length === 0) continue;
    if (r.needsAbroad && !abroad) continue;
    if (r.id === 'upfront_fee') {
      // "Costs are borne by the employer" a few sentences away: these costs are not the worker's.
      const borne = allMatches(BORNE, scan);
      // A warning that describes the trick ("beware of those who ask you to book through their travel
      // agent", "we never charge") is not the trick.
      const kept = spans.filter(([s, e]) => !borne.some(([bs, be]) => bs < e + BORNE_REACH && be > s - BORNE_REACH) && !inWarning(s));
      if (kept.length === 0) continue;
      spans.splice(0, spans.length, ...kept);
    }
    spans.sort((a, b) => a[0] - b[0]);
    ruleSpans.set(r.id, spans);
  }
  const add = (id: string, weight: number, spans: Span[]) => {
    if (spans.length === 0) return;
    const evidence = evidenceOf(ctx, spans);
    const existing = flags.find((f) => f.id === id);
    if (existing) return;
    flags.push({ id, weight: Math.round(weight * 100) / 100, evidence });
  };
  /** "Free, no fees": beside a fake's own sign it is part of the bait, not a lawful sign. */
  const dropNoFee = () => {
    const free = flags.findIndex((f) => f.id === 'lawful_no_fee');
    if (free >= 0) flags.splice(free, 1);
  };

  /** Whether the offer names an e-mail address or an office address: a way to reach someone accountable. */
  const mailOrOffice = () => (original.includes('@') && EMAIL_RE.test(original)) || scan.test(ADDRESS_RE);
  // personal contact only: not when the offer names an e-mail, office address or website
  if (ruleSpans.has('personal_contact_only')) {
    const otherLinks = links.filter((l) => !/wa\.me|t\.me|whatsapp|bit\.ly|s\.id/i.test(l.value));
    if (mailOrOffice() || otherLinks.length > 0) ruleSpans.delete('personal_contact_only');
  }
  for (const r of COMPILED_RULES) {
    const spans = ruleSpans.get(r.id);
    if (!spans) continue;
    const w = r.weight * (abroad && r.abroadBoost ? r.abroadBoost : 1);
    add(r.id, w, spans);
  }

  // ---------------- context detectors
  // Countries listed three or more at once, most of them no warning sign ("offices in the UK, India,
  // Singapore and the Philippines"), are where a company is, not where the job is.
  const listed = listedPlaces(t, places);
  const hub = foreign.filter((p) => p.kind === 'scam_hub' && !listed.has(p));
  const noAgreement = foreign.filter((p) => p.kind === 'no_agreement' && !listed.has(p));
  // An ad that asks for years of experience or a degree is not the lure, which asks for nothing: a
  // country without a placement agreement, and a compound job type there, are then weaker signs. Not in
  // the hubs themselves (Cambodia, Myanmar, Laos...), where lures add such lines too.
  // (Read only where it weighs something: most offers name no such place or job.)
  const placeWeight = () => (hub.length === 0 && !ruleSpans.has('no_experience') && QUALIFICATIONS.test(t) ? 0.6 : 1);
  if (hub.length > 0) add('risky_destination', 1.5, hub.map((p) => p.span));
  else if (noAgreement.length > 0) add('risky_destination', 1.0 * placeWeight(), noAgreement.map((p) => p.span));

  // scam-compound job types count where compounds recruit: hubs, countries without a placement
  // agreement, the Middle East, minor destinations, or "abroad" with no country named
  const foreignCountries = new Set(foreign.map((p) => p.country));
  const scamJobContext = foreign.some((p) => p.kind === 'scam_hub' || p.kind === 'no_agreement' || p.kind === 'middle_east')
    || [...foreignCountries].some((c) => c === 'Vietnam' || c === 'Macau' || c === 'China')
    || (abroadWords.length > 0 && foreign.length === 0);
  if (abroad) {
    const sj = scamJobContext ? allMatches(SCAM_JOB, scan).filter((sp) => !isNegated(t, sp[0])) : [];
    if (sj.length > 0) add('scam_job_type', (hub.length > 0 ? 1.8 : 1.2) * placeWeight(), sj);
    const ent = allMatches(ENTERTAINMENT, scan).filter((sp) => !isNegated(t, sp[0]));
    if (ent.length > 0) add('entertainment_abroad', 2.0, ent);
  }

  const irregular = allMatches(IRREGULAR, scan).filter((sp) => !isNegated(t, sp[0]));
  const routes = places.filter((p) => p.kind === 'route');
  if (irregular.length > 0) add('irregular_route', 2.0, irregular);
  else if (routes.length > 0 && foreign.length > 0) {
    const cross = allMatches(CROSSING, scan);
    if (cross.length > 0) add('irregular_route', 1.6, [routes[0]!.span, cross[0]!]);
  }
  // Overland on from where the plane lands, towards a country without a placement agreement or a
  // compound hub, or across a border (not a bus from the airport to the factory), ...
  // or to where the post does not say ("... Kuala Lumpur, lanjut jalan darat.").
  if (foreign.length > 0 && !flags.some((f) => f.id === 'irregular_route')) {
    const onwardRisk = foreign.some((p) => p.kind === 'scam_hub' || p.kind === 'no_agreement') || /\b(?:perbatasan|border)\b/.test(t);
    const onward = allMatches(ONWARD, scan).filter((sp) => !isNegated(t, sp[0]) && (onwardRisk || /^\s*(?:[.!;\n]|$)/.test(t.slice(sp[1], sp[1] + 3))));
    if (onward.length > 0) add('irregular_route', 1.6, onward);
  }

  const middleEast = foreign.filter((p) => p.kind === 'middle_east');
  if (middleEast.length > 0 && !scan.test(ONE_CHANNEL)) {
    const dj = allMatches(DOMESTIC_JOB, scan).filter((sp) => !isNegated(t, sp[0]));
    if (dj.length > 0) add('domestic_moratorium', 2.5, [dj[0]!, middleEast[0]!.span]);
  }

  const fishing = allMatches(FISHING_JOB, scan);
  if (fishing.length > 0 || jobs.includes('fishing_crew') && abroad) {
    const debt = allMatches(FISHING_DEBT, scan).filter((sp) => !isNegated(t, sp[0]) && !/^[^.\n]{0,35}\b(?:ditanggung (?:oleh )?(?:perusahaan|majikan|pemberi kerja|employer|pt|user)|paid by (?:the )?(?:employer|company)|covered by)/.test(t.slice(sp[1], sp[1] + 60)));
    if (debt.length > 0 && (fishing.length > 0 || abroad)) add('fishing_debt', 2.0, [debt[0]!, ...(fishing[0] ? [fishing[0]] : [])]);
  }

  const money = extractMoney(t);
  const pays = money.filter((m) => m.kind !== 'fee');
  const fees = money.filter((m) => m.kind === 'fee');

  // ---------------- families that show only in several signs together (families.ts)
  const taskFound = new Map<TaskCue, Span[]>();
  for (const [cue, re] of TASK) {
    const spans = allMatches(re, scan).filter((sp) => !isNegated(t, sp[0]) || cue === 'littletime');
    if (spans.length) taskFound.set(cue, spans);
  }
  if (taskFound.size > 0) {
    // The pay by the day, week or task, read with its period (before or after the number), as a day's pay.
    let best: Money | undefined;
    let bestDay = 0;
    for (const m of pays) {
      const day = m.idr === undefined ? undefined : taskDayIdr(m.idr, m.per);
      if (day !== undefined && day > bestDay) [best, bestDay] = [m, day];
    }
    const found = new Set(taskFound.keys());
    const band = widePayBand(t, (re) => scan.test(re));
    const signs: TaskSigns = {
      ...(band ? { wideBand: true } : {}),
      paidByPeriod: pays.some((m) => m.per === 'day' || m.per === 'week' || m.per === 'task'),
      chatLink: links.some((l) => CHAT_HOSTS.has(hostOf(l.value))) || (facts.handles !== undefined && t.includes('telegram')),
      ...(best ? { payPerDayIdr: bestDay } : {}),
      ownContact: ownMail || links.some((l) => !unofficialLink(l.value) && !CHAT_HOSTS.has(hostOf(l.value))),
      seeking: SEEKING_WORK.test(t),
    };
    const tw = taskWeight(found, signs);
    if (tw > 0) {
      const paySpan: Span[] = band ? [band] : best && taskPayHigh(bestDay, found) ? [[best.s, best.e]] : [];
      const order: TaskCue[] = ['littletime', 'outreach', 'reply', 'tasks', 'easy', 'perday', 'parttime', 'intro', 'link', 'brand'];
      add('task_scam', tw, [...paySpan, ...order.flatMap((c) => (taskFound.get(c) ?? []).slice(0, 1))]);
    }
  }
  // A way around the selection, read where its own words are (the match may begin at "CPNS": "seleksi
  // CPNS tidak ada jalur orang dalam" denies it after the name), and not in a report about brokers
  // ("polisi menangkap calo CPNS yang menjanjikan … orang dalam"; "kami bukan calo" is the pitch).
  const deniedRoute = ([s, e]: Span) => {
    const at = s + Math.max(0, t.slice(s, e).search(SPECIAL_ROUTE));
    return isNegated(t, at) || BROKER_BEFORE.test(sentenceBefore(t, at));
  };
  const instFound = new Map<InstitutionCue, Span[]>();
  for (const [cue, re] of INSTITUTION) {
    // What the fake asks for or how it registers, inside a warning that describes the trick ("modusnya,
    // korban diharuskan memesan tiket lewat travel"), is not the trick; the names are names either way.
    // (a way around the selection that the text denies, "tidak ada jalur khusus", is no sign of one)
    const spans = allMatches(re, scan).filter((sp) => INSTITUTION_NAMES.has(cue) || (!inWarning(sp[0]) && (cue !== 'special' || !deniedRoute(sp))));
    if (spans.length) instFound.set(cue, spans);
  }
  // BPJS named as a benefit ("dapat BPJS", "gaji UMR + BPJS") is not BPJS hiring: most genuine ads say it.
  // A state bank named as where to pay ("transfer ke BRI 1234…", "rekening BNI a.n. …") is not the
  // bank recruiting either: the fee it names is its own sign.
  const recruitingSpans = instFound.get('institution') && instFound.get('recruiting') ? instFound.get('recruiting')! : [];
  const institutionSpans = (instFound.get('institution') ?? []).filter(
    (sp) => (t.slice(sp[0], sp[1]) !== 'bpjs' || employerNamed(t, [sp], recruitingSpans)) && !bankToPay(t, sp),
  );
  if (institutionSpans.length > 0) instFound.set('institution', institutionSpans);
  else instFound.delete('institution');
  // Every link with where it is in the post, a defanged one too ("x[dot]my[dot]id", which the link finder
  // does not see): the institution's and the form-link signs judge them and quote them from there.
  const everyLink = instFound.has('institution') || instFound.has('recruiting') ? [...links, ...linksAt(original, defangedLinks(original))] : [];
  if (instFound.has('institution') || instFound.has('recruiting')) {
    // The words (3 letters or more) of the institutions named and of the companies named "PT ...": a
    // domain that names one is theirs (a company's own careers site carries its name).
    const companyWords = [...t.matchAll(/\bpt\.? ?([a-z0-9]+(?: [a-z0-9]+){0,2})/g)].flatMap((m) => m[1]!.split(' '));
    const nameWords = [...new Set([...(instFound.get('institution') ?? []).flatMap(([a, b]) => t.slice(a, b).split(/[^a-z0-9]+/)), ...companyWords].filter((w) => w.length >= 3 && w !== 'bank' && w !== 'indonesia'))];
    // A site named for jobs is a lookalike only where the post does not call it the official site
    // (Bank Indonesia's own PCPM recruitment runs on www.pcpm40rekrutmenbi.id, "laman resmi").
    const official = instFound.has('official');
    const allLinks = everyLink.map((l) => l.value);
    const lookalikes = official ? [] : allLinks.filter((l) => !unofficialLink(l)).map((link) => ({ link, kind: lookalikeLink(link, nameWords) })).filter((l) => l.kind !== false);
    const badLinks = [...allLinks.filter(unofficialLink), ...lookalikes.map((l) => l.link)];
    const freeMail = original.includes('@') ? FREE_MAIL.exec(original) : null;
    // A finger pointing down (at a link the quote left out): emoji are not in the normalised text.
    const pointsDown = /\u{1F447}|:point_down:/u.test(original);
    // A personal mobile number (+628…) to register with: no ministry or state company recruits by one.
    const mobile = phones.find((p) => p.value.startsWith('+628'));
    const stateEmployer = employerNamed(t, instFound.get('state') ?? [], recruitingSpans);
    const iw = institutionWeight(new Set(instFound.keys()), {
      badLink: badLinks.length > 0,
      lookalike: lookalikes.some((l) => l.kind === 'front'),
      freeMail: freeMail !== null,
      pointsDown,
      mobile: mobile !== undefined,
      fee: flags.some((f) => f.id === 'upfront_fee'),
      ownSite: links.some((l) => institutionalLink(l.value)),
      employer: employerNamed(t, institutionSpans, recruitingSpans),
      stateEmployer,
      loudFree: LOUD_FREE.test(t),
      jobWord: JOB_WORD.test(t),
    });
    if (iw > 0) {
      // Evidence: the link or address, how to register, the loud "free", the chain; and the name.
      // Quoted from where each is in the post (mapped to the normalised text), not looked up there by
      // its text: the normaliser writes "x[dot]my[dot]id" and "info-yg-baru.my.id" otherwise.
      const linkSpans: Span[] = [];
      const linkAt = (l: { s: number; e: number }) => {
        const sp = fromOriginal(norm, l.s, l.e);
        if (sp) linkSpans.push(sp);
      };
      const bad = new Set(badLinks);
      for (const l of everyLink) if (bad.has(l.value)) linkAt(l);
      if (freeMail) linkAt({ s: freeMail.index, e: freeMail.index + freeMail[0].length });
      const order: InstitutionCue[] = ['special', 'vialink', 'bait', 'docsbychat', 'travel', 'docs', 'domicile', 'free', 'chain', 'wide', 'pay'];
      add('fake_institution', iw, [...linkSpans.slice(0, 1), ...order.flatMap((c) => (instFound.get(c) ?? []).slice(0, 1)), ...(instFound.get('institution') ?? []).slice(0, 1)]);
      // The personal number, quoted, when the state's name goes with one and nothing else quotes it.
      const fake = flags.find((f) => f.id === 'fake_institution');
      if (fake && mobile && instFound.has('state') && linkSpans.length === 0 && !fake.evidence.some((e) => e.includes(original.slice(mobile.s, mobile.e)))) {
        const q = quote(original, mobile.s, mobile.e);
        if (q) fake.evidence = [q, ...fake.evidence.filter((e) => !q.includes(e) && !e.includes(q))].slice(0, 2);
      }
      // "Registration is free" in such a post is what the fake says first: not a lawful sign.
      dropNoFee();
    } else if (
      (stateEmployer || (famousEmployerOnly(t, facts, links.length) && employerNamed(t, institutionSpans.filter(([a, b]) => FAMOUS_EMPLOYER.test(t.slice(a, b))), recruitingSpans)))
      && !instFound.has('official') && !links.some((l) => institutionalLink(l.value))
      && !flags.some((f) => f.weight < 0 && f.id !== 'lawful_no_fee')
    ) {
      // Recruitment in an institution's name that points to no official site: what a fake looks like
      // once its link is cut off (as fact-checks quote them). Not judged fake: to be checked there.
      // A famous company's name counts only where the post gives no way of applying of the company's
      // own (see famousEmployerOnly).
      add('unverified_institution', 1.2, [...(instFound.get('recruiting') ?? []).slice(0, 1), ...(instFound.get('state') ?? []).slice(0, 1)]);
      dropNoFee();
    }
  }

  // A vacancy whose only way to apply is a link it does not show ("klik link di bio", "daftar melalui
  // link di bawah" with no link): how fake vacancy accounts post, whoever's name they use; the quotes
  // fact-checks give cut the link off the same way. Not judged fake: the person asks for the full
  // address and checks it belongs to the employer. Not where an institution's flag already says so,
  // where a link, a phone number, an e-mail or a street address is given, where the official site or
  // an official route (Disnaker, BLK, a licensed agency) is named, or where the link is warned against
  // ("jangan klik link di bio").
  if (
    instFound.has('recruiting') && everyLink.length === 0 && phones.length === 0 && !original.includes('@') && !STREET.test(t)
    && !instFound.has('official') && !flags.some((f) => f.id === 'fake_institution' || f.id === 'unverified_institution')
    && !flags.some((f) => f.weight <= -0.8)
  ) {
    const hidden = allMatches(LINK_NOT_SHOWN, scan).filter((sp) => !inWarning(sp[0]) && !isNegated(t, sp[0]));
    if (hidden.length > 0) add('link_not_shown', 1.2, [hidden[0]!, ...(instFound.get('recruiting') ?? []).slice(0, 1)]);
  }

  // A vacancy whose only way to apply is an online form, a short link or a free website: none of them
  // says whose it is, and it is how fake vacancies gather applicants' data in any company's name (a
  // fake PT Kiyokuni vacancy, turnbackhoax.id 2024: "DAFTAR: https://forms.gle/..."). Not judged fake:
  // the person checks the vacancy on the company's own site. Not where an institution's flag already
  // says so, where the post also gives a site of its own, a job board, an e-mail at the company's
  // domain, an office to go to, or an official route; nor a chat link (wa.me, t.me): small employers
  // take applications by WhatsApp, and that is judged as a contact. A vacancy: someone is being hired
  // ("join the heroes of our game, download free at bit.ly/..." is a promotion).
  if (instFound.has('recruiting') && (JOB_WORD.test(t) || scan.test(HIRING_ROLE)) && !instFound.has('official') && !STREET.test(t) && !flags.some((f) => f.id === 'fake_institution' || f.id === 'unverified_institution' || f.id === 'link_not_shown' || f.weight <= -0.8)) {
    const formOrShort = everyLink.filter((l) => unofficialLink(l.value) && !CHAT_HOSTS.has(hostOf(l.value)));
    // (the vacancy in the words of the post, not in the link's: "bit.ly/loker-kamboja" alone is a link to
    // judge; and in words of a vacancy, not of any sign-up: "pendaftaran vaksin untuk karyawan dibuka",
    // a webinar, a scholarship for teachers, a reunion are registered for by form too)
    const recruiting = [...(instFound.get('recruiting') ?? []).filter(([a, b]) => !SIGN_UP.test(t.slice(a, b))), ...allMatches(HIRING_ROLE, scan)].filter(([a, b]) => {
      const [os] = toOriginal(norm, a, b);
      return !everyLink.some((l) => os >= l.s && os < l.e);
    });
    if (recruiting.length > 0 && formOrShort.length > 0 && formOrShort.length === everyLink.length && !ownMail) {
      // The first link the post does not warn against ("jangan daftar lewat bit.ly/…, daftar di forms.gle/…")
      const at = formOrShort.map((l) => fromOriginal(norm, l.s, l.e)).find((sp) => sp !== undefined && !inWarning(sp[0]) && !isNegated(t, sp[0]));
      if (at) add('form_link_only', 1.2, [at, recruiting[0]!]);
    }
  }

  // Told to share the post or comment on it to be considered: no employer selects people by the shares
  // of a post (Africa Check: a red flag that the ad is fake).
  if (scan.may(SHARE_TO_APPLY) && (instFound.has('recruiting') || scan.test(OFFER_WORDS) || scan.test(HIRING_ROLE))) {
    const shared = allMatches(SHARE_TO_APPLY, scan).filter((sp) => !inWarning(sp[0]) && !isNegated(t, sp[0]));
    if (shared.length > 0) add('share_to_apply', SHARE_WEIGHT, shared.slice(0, 1));
  }

  // Recruitment in an institution's name (a fake's, or the state's body named as the one hiring; not a
  // bank named for the pay, or a past employer): where that institution announces its recruitment is
  // shown with the verdict.
  if (instFound.has('recruiting') && (flags.some((f) => f.id === 'fake_institution') || employerNamed(t, instFound.get('state') ?? [], instFound.get('recruiting') ?? []))) {
    const named = institutionsNamed(t);
    if (named.length) facts.institutions = named;
  }
  // A vacancy in an Indonesian institution's name, nowhere abroad: a job at home (a fake BUMN vacancy is
  // reported to the police and checked with the institution, not with the migrant-worker ministry).
  // Not the hajj officers' recruitment: that work is in Saudi Arabia, named or not. So is a task scam
  // that names nowhere abroad: "work" done on one's phone where one lives, a fraud for the police.
  // Nor where the text speaks of going abroad without naming where: a passport, a visa, a flight, pay
  // in a foreign currency, a ship's crew or an overseas placement scheme (EPS-TOPIK is Korea's).
  if (
    !abroad && facts.country === undefined && !/\bhaji\b|\bppih\b/.test(t) && !GOING_ABROAD.test(t)
    && facts.schemes === undefined && !flags.some((f) => f.id === 'lawful_g2g')
    // (a task scam's "$300 per day" is pay for clicks at home: its currency says nothing of where)
    && (flags.some((f) => f.id === 'task_scam') || !money.some((m) => m.currency !== 'IDR'))
    && (flags.some((f) => f.id === 'fake_institution' || f.id === 'unverified_institution' || f.id === 'task_scam') || facts.institutions !== undefined)
  ) facts.home = true;

  // Overseas mass recruitment with no licensed agency, official scheme (strong lawful signs) or official
  // site named: hundreds wanted at once, in a government's name or open to anyone, with a push;
  // "everything is paid" makes it the lure it is, not a reassurance (families.ts).
  const official = instFound.has('official') || links.some((l) => institutionalLink(l.value));
  if (!official && !flags.some((f) => f.weight <= -1)) {
    const ovFound = new Map<OverseasCue, Span[]>();
    for (const [cue, re] of OVERSEAS) {
      const spans = allMatches(re, scan).filter((sp) => !isNegated(t, sp[0]));
      if (spans.length) ovFound.set(cue, spans);
    }
    const ow = abroad || ovFound.has('haji') ? overseasWeight(new Set(ovFound.keys())) : 0;
    if (ow > 0) {
      const order: OverseasCue[] = ['mass', 'allpaid', 'anyone', 'easyvisa', 'claim', 'push'];
      add('mass_recruitment_abroad', ow, order.flatMap((c) => (ovFound.get(c) ?? []).slice(0, 1)));
      if (ovFound.has('allpaid')) dropNoFee();
    }
  }
  // Work abroad offered through someone's own number or a short link and nothing else (no agency,
  // office, e-mail or site; no licensed agency or official scheme named): "free, no fees" there is the lure the
  // migrant-worker ministry warns of, not a sign of the lawful route.
  // A short link or a free site to register on is no more accountable than a number (bit.ly/kerja-malaysia).
  const onlyUnaccountable = flags.some((f) => f.id === 'personal_contact_only')
    || (links.length > 0 && links.every((l) => unofficialLink(l.value) || CHAT_HOSTS.has(hostOf(l.value))) && !mailOrOffice());
  if (abroad && onlyUnaccountable && !flags.some((f) => f.weight < 0 && f.id !== 'lawful_no_fee')) dropNoFee();

  const feeFlag = flags.find((f) => f.id === 'upfront_fee' || f.id === 'salary_deduction');
  if (feeFlag && abroad && jobs.some((j) => ZERO_COST_JOBS.has(j))) {
    const spans = [...(ruleSpans.get('upfront_fee') ?? []), ...(ruleSpans.get('salary_deduction') ?? [])];
    add('fee_for_zero_cost_job', 1.0, spans);
  }

  // Money promised to migrant workers, to be claimed in a chat the message gives: BP2MI called such
  // messages hoaxes or fraud and says it never lures people with aid (data/checker-facts.yaml,
  // aid_by_chat). An amount, the workers and the chat, all three, and not a report or a denial.
  if (scan.may(AID_GIVEN) && scan.may(MIGRANT_WORKERS) && scan.may(CLAIM_BY_CHAT) && AMOUNT.test(t) && !RED_CROSS.test(t) && !OFFICIAL_LINE.test(t) && !REPORTED_HOAX.test(t)) {
    const aid = allMatches(AID_GIVEN, scan).filter((sp) => !inWarning(sp[0]) && !isNegated(t, sp[0]));
    const claim = allMatches(CLAIM_BY_CHAT, scan).filter((sp) => !inWarning(sp[0]));
    if (aid.length > 0 && claim.length > 0 && scan.test(MIGRANT_WORKERS)) {
      add('aid_by_chat', 3.0, [aid[0]!, claim[0]!]);
      // "Free of charge, tax-free" in such a message is part of the bait: not a lawful sign.
      dropNoFee();
    }
  }

  // ---------------- money: pay plausibility, fees
  if (pays.length > 0) {
    facts.pay = pays.slice(0, 5).map((m) => {
      const p: { amount: number; currency: string; perMonthIdr?: number } = { amount: m.amount, currency: m.currency };
      if (m.perMonthIdr !== undefined) p.perMonthIdr = m.perMonthIdr;
      return p;
    });
  }
  const feeQuotes = [
    ...evidenceOf(ctx, fees.map((m) => [m.s, m.e] as Span), 3),
    ...evidenceOf(ctx, [...(ruleSpans.get('upfront_fee') ?? []), ...(ruleSpans.get('salary_deduction') ?? [])], 3),
  ];
  if (feeQuotes.length > 0) facts.fees = [...new Set(feeQuotes)].slice(0, 3);
  // a large fee the worker must pay (amount quoted next to a fee word), unless negated
  // (not a recruiter's commission: "fee sponsor 3 juta per orang")
  const COMMISSION_NEAR = /\b(?:per (?:orang|kepala|head|person)|komisi|commission|bonus|reward)\b/;
  // (nor costs the employer pays back: "reimbursed for the travel and hotel cost for up to $1000")
  const REIMBURSED_BEFORE = /\b(?:reimbursed|reimbursement|compensated) (?:for|of)\b[^.\n]{0,50}$/;
  const bigFees = fees.filter((m) => (m.idr ?? 0) >= 500_000 && !isNegated(t, m.s) && !COMMISSION_NEAR.test(t.slice(Math.max(0, m.s - 30), m.e + 30)) && !REIMBURSED_BEFORE.test(t.slice(Math.max(0, m.s - 60), m.s)));
  if (bigFees.length > 0 && !flags.some((f) => f.id === 'upfront_fee')) {
    add('upfront_fee', abroad ? 1.9 : 1.5, bigFees.map((m) => [m.s, m.e] as Span));
    features.push('FEE_AMOUNT');
  }
  const requiresExperience = scan.test(REQUIRES_EXPERIENCE);
  if (requiresExperience) features.push('REQ_EXP');
  checkPay(pays, {
    t, abroad, jobs, facts, foreignKinds: foreign.map((p) => p.kind), noExperience: ruleSpans.has('no_experience'),
    abroadUnnamed: abroadWords.length > 0 && foreign.length === 0, requiresExperience,
  }, add);

  // ---------------- a letter out of the blue: accepted, then sent to an office or agent for the visa (families.ts)
  const letterFound = new Map<LetterCue, Span[]>();
  for (const [cue, re] of JOB_LETTER) {
    const spans = allMatches(re, scan).filter((sp) => !isNegated(t, sp[0]) && !inWarning(sp[0]));
    if (spans.length) letterFound.set(cue, spans);
  }
  const lw = letterWeight(new Set(letterFound.keys()), flags.some((f) => f.id === 'upfront_fee'));
  if (lw > 0) {
    const order: LetterCue[] = ['accepted', 'forwarded', 'thirdparty', 'cruise', 'permit', 'contract', 'travel'];
    add('fake_job_letter', lw, order.flatMap((c) => (letterFound.get(c) ?? []).slice(0, 1)));
  }

  // ---------------- offer or not
  // Money asked for where no work is in view (no job, no recruiting, no pay for work, not abroad: "isi
  // saldo TCASHmu melalui ATM", "saldo bermain Rp 125rb hanya dengan bayar Rp 75rb") is a shop's or a
  // wallet's, not a fee for a job: the fee rules' general words (top up, pay Rp...) are not read there.
  if (!abroad && jobs.length === 0 && !WORK_IN_VIEW.test(t)) {
    for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.id === 'upfront_fee' || flags[i]!.id === 'salary_deduction') flags.splice(i, 1);
  }
  // Also an offer: text that the rules find two substantive warning signs in ("Massage therapists for
  // a spa in Bahrain… travel on tourist visa… 5 million guarantee" names no job word but is one).
  const substantive = new Set(flags.filter((f) => f.weight >= 1.5).map((f) => f.id));
  // A short post of a task scam or a fake vacancy, the announcement of an official placement scheme
  // (G-to-G, EPS-TOPIK...), or a "recruiter's" chat asking for a video of the body, is an offer (a
  // selection) even without the usual job words.
  const OFFER_FLAGS = ['task_scam', 'fake_institution', 'unverified_institution', 'link_not_shown', 'form_link_only', 'share_to_apply', 'aid_by_chat', 'lawful_g2g', 'fake_job_letter', 'body_exposure'];
  // Money asked of applicants in a selection (a test, an interview, a civil-service decree) is about a
  // job too, even in a numbered list of "rules for participants" with no job word.
  const feeToBeSelected = flags.some((f) => f.id === 'upfront_fee') && APPLICANTS.test(t) && SELECTION.test(t);
  // A short recruitment post: a hiring verb with the people wanted, or a list of three of them with a
  // way to reach someone ("OPERATOR PRODUKSI, ADMIN GUDANG, SECURITY, DRIVER. Minat hub 0812...").
  const rolesListed = () => {
    const names = new Set(allMatches(ROLE, scan).map(([a, b]) => t.slice(a, b)));
    return names.size >= 3 && (phones.length > 0 || links.length > 0 || REACH_WORDS.test(t)) && !PROMO.test(t);
  };
  const isOffer = scan.test(OFFER_WORDS) || scan.test(HIRING_ROLE) || rolesListed() || (jobs.length > 0 && pays.some((m) => m.kind === 'pay')) || substantive.size >= 2 || flags.some((f) => OFFER_FLAGS.includes(f.id)) || feeToBeSelected;
  if (!isOffer && notes.length === 0 && original.trim().length > 0) notes.push('not_an_offer');

  for (const f of flags) features.push(`F_${f.id}`);
  flags.sort((a, b) => b.weight - a.weight);
  let all: string[] | undefined;
  return {
    original, norm, flags, facts, notes, abroad, isOffer, head: features, words,
    get features() {
      return (all ??= [...features, ...modelTokens(words)]);
    },
  };
}

interface PayCtx {
  t: string;
  abroad: boolean;
  jobs: string[];
  facts: Facts;
  foreignKinds: PlaceKind[];
  noExperience: boolean;
  abroadUnnamed: boolean;
  requiresExperience: boolean;
}

/**
 * A bank named as where money goes: "transfer ke BRI 1234…", "rek. BNI", "via Mandiri", or the bank's
 * name followed by an account number or "a.n." (the holder).
 */
function bankToPay(t: string, [a, b]: Span): boolean {
  const name = t.slice(a, b);
  if (!/^(?:bank )?(?:bri|bni|btn|mandiri|bca|bsi|bank syariah indonesia)$/.test(name)) return false;
  const before = t.slice(Math.max(0, a - 30), a);
  const after = t.slice(b, b + 30);
  // Not "ke" alone: "bergabung ke BRI" is joining it.
  return /\b(?:transfer|tf|trf|rekening|rek|no rek|norek|via|bayar|pembayaran|setor|setorkan|kirim)\s*(?:ke\s*)?(?:bank\s*)?$/.test(before)
    || /^\s*(?:no\.?\s*|nomor\s*)?(?:rek\w*\s*)?[\d][\d .-]{5,}/.test(after) || /^\s*a\.?\s?n\b/.test(after);
}

// Heuristic multiples of the legal minimum above which low-skill pay is "too good to be true".
// These are our judgement, not sourced figures (data/wages.yaml explains).
const MULTIPLE = 2.5;
const MULTIPLE_DOMESTIC = 2.2;
const REGIONAL_FLOOR_IDR = 8_000_000; // scam hubs without a sourced minimum (about USD 480)
const GENERIC_FLOOR_IDR = 15_000_000; // no destination named: well above any Indonesian minimum

function checkPay(pays: Money[], c: PayCtx, add: (id: string, w: number, spans: Span[]) => void) {
  if (pays.length === 0) return;
  const job = c.jobs[0];
  const lowSkill = job === undefined ? c.noExperience : LOW_SKILL_JOBS.has(job) || c.noExperience;
  const country = c.facts.country;
  const home = !country || country === 'Indonesia';
  let limit: number | undefined;
  if (lowSkill) {
    const ref = country ? referenceMonthlyIdr(country, job) : undefined;
    const domestic = job === 'domestic_worker' || job === 'caregiver' || job === 'babysitter';
    if (ref !== undefined) limit = ref * (domestic ? MULTIPLE_DOMESTIC : MULTIPLE);
    else if (c.foreignKinds.includes('scam_hub') || c.foreignKinds.includes('no_agreement')) limit = REGIONAL_FLOOR_IDR;
    else if (home && (c.noExperience || c.abroadUnnamed)) limit = GENERIC_FLOOR_IDR;
  }
  // Otherwise the pay is judged on its own, where no qualification is asked for: above the floor over
  // any Indonesian wage with no job named, twice that for a job that is (an admin at Rp 30 million a
  // month for anyone is a lure). Only an amount said to be pay (a prize or a price is not), in rupiah
  // or by the day or week (a monthly salary in dollars, in an ad that names no country, is not judged
  // by Indonesia's floor; "3000-8000 pesos daily" is), never by the hour (a freelancer's rate) nor a
  // ceiling ("penghasilan hingga Rp 50 juta": a salesperson's commission).
  let onItsOwn = false;
  if (limit === undefined && home && !c.requiresExperience) {
    limit = GENERIC_FLOOR_IDR * (job === undefined ? 1 : 2);
    onItsOwn = true;
  }
  if (limit === undefined) return;
  // annual salaries belong to ordinary (mostly Western) job ads, not to recruitment lures
  // a skilled ad asking for experience may pay well: only flag far-off pay there
  const factor = c.requiresExperience && !c.noExperience ? 2 : 1;
  const WESTERN = new Set(['USD', 'EUR', 'GBP', 'AUD']);
  const high = pays.filter((m) => m.perMonthIdr !== undefined && m.perMonthIdr > limit! * factor && !m.annual && (!onItsOwn || (m.kind === 'pay' && !m.hourly && !CEILING_BEFORE.test(c.t.slice(Math.max(0, m.s - 14), m.s)) && (m.currency === 'IDR' || m.per === 'day' || m.per === 'week')))
    && !(m.hourly && WESTERN.has(m.currency) && !c.foreignKinds.includes('scam_hub')));
  if (high.length === 0) return;
  const worst = Math.max(...high.map((m) => m.perMonthIdr! / limit!));
  add('pay_unrealistic', worst > 2 ? 2.2 : 1.6, high.map((m) => [m.s, m.e] as Span));
}
