/**
 * Detectors for two families of scams that real people receive and that no single phrase gives away:
 * each is a set of cue groups (expressions on the NORMALISED text, registered with the prefilter by
 * detect.ts), and the flag rests on several groups together, never on one word.
 *
 * 1. Task and "part-time" job scams (Shopee/Tokopedia/TikTok "HR", "10-20 minutes a day", pay per day
 *    or task, "reply 1", a wa.me link): an unsolicited offer of easy paid tasks. Real examples:
 *    test/fixtures/offers-real (fact-checks quoting the messages).
 * 2. Fake vacancies in the name of a ministry, a state company (BUMN), a bank or a famous employer:
 *    registration through a link, a short or free site, or a free-mail address that is not the
 *    institution's, often saying loudly that registration is free (scammers say it first) and asking
 *    people to pass it on. Official recruitment names its official site.
 */
import type { PayPeriod } from './facts.js';

/**
 * Cue groups of the task-scam detector (normalised text: lower case, "wa" → "whatsapp"). The strong
 * ones are what the scam says and genuine ads do not (a few minutes a day, only a phone, liking videos
 * for pay, "your CV passed", "reply 1"); the weak ones are in many genuine part-time ads too
 * (part-time, pay by the day, a brand's name, a WhatsApp link) and only add to strong ones.
 */
export const TASK_CUES = {
  /** weak: part-time, side or online work */
  parttime: String.raw`\bparuh waktu\b|\bpart[- ]?time\b|\bpekerjaan sampingan\b|\bkerja sampingan\b|\bfreelanc(?:e|ing)\b|\bwork (?:from|at) home\b|\bkerja dari rumah\b|\bremote online\b|\bonline (?:part[- ]?time|job|work)\b|\bkerja online\b|\b(?:extra|additional) income\b|\bpenghasilan tambahan\b|\bside (?:job|hustle|income)\b|\bjob online\b|\b(?:bisa )?(?:dikerjakan|kerja) (?:di|dari) rumah\b|\b(?:do it|work) (?:at|from) home\b`,
  /** strong: the work is liking, following, rating or "optimising" on a platform, or "simple tasks" */
  tasks: String.raw`\b(?:simple |easy )(?:engagement )?tasks\b|\bengagement tasks\b|\btugas (?:sederhana|mudah|online)\b|\b(?:like|likes|menyukai|subscribe|follow|rating|tonton|menonton)\b[^.\n]{0,30}\b(?:video|youtube|tiktok|instagram|produk|hotel|toko|postingan|konten|channel|akun (?:instagram|tiktok|youtube|shopee)|aplikasi|film|lagu)\b|\b(?:beri(?:kan)?|memberi(?:kan)?|kasih) (?:bintang|rating|ulasan)(?: \w+){0,2} (?:5|lima)\b|\b(?:promosikan|mempromosikan|promote|promoting)\b[^.\n]{0,40}\b(?:tiktok|instagram|youtube|shopee|tokopedia|lazada)\b|\b(?:optimi[sz]e|optimi[sz]ing|boost|boosting)\b[^.\n]{0,30}\b(?:hotels?|merchants?|products?|apps?)\b|\bboosting (?:movie|film|product|app|hotel|video)'?s? (?:reviews?|ratings?)(?:'s)?\b|\bonline freelanc(?:e|ing) tasks\b|\b(?:join|do) our online (?:freelanc(?:e|ing) )?tasks\b|\bhelp merchants\b|\b(?:shop|shopping|belanja)\b[^.\n]{0,30}\bget paid\b|\b(?:like|komen|komentar)\b,? (?:dan |and |& )?(?:komen|komentar|share|subscribe|follow|comment)\b|\brating (?:5|lima)\b|\b(?:5|five)[- ]star (?:reviews?|ratings?)\b|\b(?:ulasan|review) (?:google|produk|hotel|toko)\b|\b(?:menaikkan|meningkatkan) (?:penjualan|rating|pengunjung|traffic) (?:toko|merchant|pedagang|produk)\b|\bproduct boosting\b|\bapp optimi[sz]ation\b`,
  /** strong: a few minutes a day, in spare time, without disturbing one's main job */
  littletime: String.raw`\b\d+ ?(?:hingga|sampai|to|-) ?\d+ ?(?:menit|minutes?|mins?)\b(?! ?(?:dari|ke|from|to|menuju|jalan kaki|walk(?:ing)?)\b)|\b\d+ ?(?:menit|minutes?)(?: kerja)? (?:sehari|per hari|a day|per day|daily|saja)\b|\bwaktu (?:senggang|luang)\b|\bspare time\b|\b(?:tidak|not|won'?t|will not|tanpa)(?: akan)? (?:mengganggu|affect|interfere)\w*(?: \w+){0,2} (?:pekerjaan|daily|full|main|job|work)\b|\bno time limit\b|\b(?:only |just |hanya |cuma )?[1-3] ?(?:-|to|hingga|sampai) ?[1-4] (?:hours?|jam)\b(?: (?:of )?(?:your )?(?:free |spare )?time)?(?: \w+){0,2} (?:each day|a day|per day|daily|sehari|per hari)\b|\b(?:only )?(?:requires?|takes?|needs?) (?:only )?\d+(?: ?(?:-|to) ?\d+)? (?:hours?|minutes?) of your(?: free| spare)? time\b|\b(?:use|using) your free time\b|\b(?:earn|make|get) (?:extra |some )?money outside (?:of )?(?:your )?(?:work|job)\b`,
  /** weak: pay by the day, task or week (its amount is judged apart) */
  perday: String.raw`\bgaji harian\b|\btugas harian\b|\bpenghasilan harian\b|\bdaily (?:earnings|income|salary|pay|wage)\b|\b(?:weekly|mingguan) (?:income|pay|salary|gaji|penghasilan|earnings)\b|\d ?(?:usd|dollars?|rb|ribu|k)? ?(?:weekly|daily|harian|mingguan|sehari)\b|\b(?:earn|dapat(?:kan)?|gaji|wage|salary|income|penghasilan|bayaran|komisi|commission)\b[^.\n]{0,40}\b(?:per|a|each|every|setiap|tiap|\/) ?(?:day|hari|task|tugas|misi|order|assignment|week|minggu|like|video)\b|\d[\d.,]*(?: ?(?:rb|ribu|k|juta|jt|usd|dollars?))? ?(?:per|each|every|setiap|tiap|\/) ?(?:task|tugas|misi|order|assignment|like|video|review|rating|ulasan|day|hari)\b`,
  /**
   * strong: someone writing out of the blue as a recruiter or HR, saying the person's CV passed, or that
   * they got the number ("HR" reads "hari" once normalised, as the slang table expands "hr": "hari
   * department" is said in no language)
   */
  outreach: String.raw`\b(?:departemen|bagian|divisi) (?:sdm|hrd?|personalia|rekrutmen)\b|\b(?:hr|hrd) (?:department|manager|team|staff|recruiter|specialist)\b|\bhari (?:department|manager|recruiter|specialist)\b|\brekruter\b|\brecruiter\b|\b(?:cv|resume|background|profil)\b(?: \w+){0,6} (?:lolos|passed|recommended|direkomendasikan|terpilih|selected|approved)\b|\b(?:passed|lolos)(?: \w+){0,2} (?:interview|wawancara|seleksi)\b|\b(?:had|got|have|mendapatkan|dapat) (?:your|nomor) (?:number|anda|kamu)\b|\bnomor (?:anda|kakak|kamu|saudara) (?:kami )?(?:dapatkan|dapat|peroleh|terima)\b|\bon behalf of\b|\breaching out\b|\b(?:anda|kamu|you)(?: \w+){0,2} (?:terpilih|dipilih|selected|shortlisted)\b|\bselamat\b[^.\n]{0,40}\b(?:terpilih|lolos|diterima)\b|\b(?:saya|kami) menghubungi (?:anda|kamu)\b|\b(?:i am|i'm|we are|we're) (?:contacting|messaging|texting) you\b|\b(?:sincerely|cordially) invit(?:e|ing) you\b|\bwe invite you to (?:use|participate|join)\b`,
  /** weak: a stranger introducing themselves by name and company */
  intro: String.raw`\bperkenalkan\b|\bkami dari (?:tim|agensi|agency|perusahaan|pihak)\b|\bmaaf (?:mengganggu|ganggu)\b|\bnama saya\b|\bmy name is\b|\b(?:i am|i'm|this is|saya) [a-z]+,? (?:from|here from|dari)\b|\bhere from\b|\bi (?:am )?from\b|\bthis is a (?:letter|message) from\b`,
  /** strong: reply with a word, add a chat account, or say yes to hear more: the first step of the scam */
  reply: String.raw`\b(?:balas|ketik|kirim) (?:angka )?(?:1|satu|ya|yes|ok)\b|\bapakah (?:anda|kakak|kak|kamu|bapak|ibu|saudara|saudari) (?:tertarik|berminat|bersedia)\b|\b(?:jika|kalau|bila|apabila) (?:anda |kakak |kak |kamu )?(?:tertarik|berminat)\b[^.\n]{0,30}\b(?:balas|chat|whatsapp|telegram|klik|tambahkan)\b|\breply (?:with )?(?:1|yes|ok)\b|\badd (?:my |our |me on )?whatsapp\b|\btambahkan (?:whatsapp|saya|kami)\b|\bwhatsapp manager\b|\bcan i (?:share|refer|send)\b|\bwould you like to (?:hear|know|learn)\b|\bdo you willing to (?:know|hear|learn) more\b|\binterested\?\?|\b(?:mentor|supervisor|resepsionis|receptionist|pembimbing)\b[^.\n]{0,25}\b(?:telegram|whatsapp)\b|\b(?:telegram|whatsapp)\b[^.\n]{0,25}\b(?:mentor|supervisor|resepsionis|receptionist|pembimbing)\b`,
  /** weak: click a link to go on */
  link: String.raw`\bklik (?:tautan|link)\b|\bclick (?:the |this )?link\b|\bclick (?:for|here)\b`,
  /** weak: a marketplace or platform whose name the scam borrows */
  brand: String.raw`\b(?:shopee|tokopedia|lazada|tiktok|amazon|temu|vrbo|agoda|traveloka|youtube|instagram|bukalapak|blibli|walmart|expedia)\b`,
  /** strong: the work is easy, needs only a phone, newcomers get a bonus */
  easy: String.raw`\b(?:itu |sangat |very |is )(?:mudah|simple|sederhana|easy|gampang)\b(?! (?:dijangkau|diakses|ditemukan|dicapai|to (?:reach|find|access)))|\b(?:hanya|cuma|just|only)(?: \w+){0,3} (?:ponsel|hp|handphone|smartphone|mobile(?: device| phone)?|a phone)\b|\byang anda butuhkan hanyalah\b|\bpendatang baru\b|\bnew(?:comers| members| users) (?:get|receive)\b|\bmanager (?:teaches|will teach)\b|\btanpa modal\b|\blangsung cair\b|\b(?:cukup|modal|bermodalkan) (?:dengan |pakai |menggunakan )?(?:hp|handphone|ponsel|smartphone|hape)(?: (?:saja|aja|doang))?\b|\bkerja(?:nya)? santai\b|\b(?:pekerjaan|kerja|tugas)(?:nya)? (?:sangat |sangatlah |cukup )?(?:mudah|gampang|ringan)(?: sekali| banget)?\b(?! (?:dijangkau|diakses|ditemukan|dicapai))|\bbisa dikerjakan (?:di ?mana (?:saja|aja|pun)|kapan (?:saja|aja|pun))\b|\bpaid (?:on )?the same day\b|\btasks? (?:and|&) (?:get|getting|receive|receiving) instant (?:payments?|pay|payouts?)\b|\b(?:siswa|pelajar|students?) (?:tidak dapat|tidak bisa|cannot|can't|can not) (?:berpartisipasi|ikut|participate)\b`,
} as const;
export type TaskCue = keyof typeof TASK_CUES;

/** The cue groups only a scam's pitch uses; the others count only beside them. */
const STRONG_TASK_CUES: readonly TaskCue[] = ['tasks', 'littletime', 'outreach', 'reply', 'easy'];

const BAND_NUM = String.raw`(?:rp ?|\$ ?|usd ?|php ?)?(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?: ?(ribu|rb|k|juta|jt|jutaan)\b)?`;
const BAND = String.raw`${BAND_NUM} ?(?:-|–|sampai|hingga|s\/d|to|~) ?${BAND_NUM}(?: ?(?:p|php|usd|dollars?|rupiah|rupees?|peso)\b)?`;
/** A pay band, then its period (a day, an hour, a week, a task) within a few words. */
const BAND_THEN_PERIOD = new RegExp(String.raw`${BAND}[^.\n\d]{0,12}?(?:\/ ?|\bper |\ba |\ban |\beach |\bsetiap |\btiap )(?:hari|day|hour|jam|minggu|week|task|tugas)\b|${BAND} ?(?:sehari|perhari|harian|daily|weekly|mingguan)\b`, 'g');
/** A period named before its pay band: "daily salary 500-2000", "gaji harian Rp 200.000-Rp 2.000.000". */
const PERIOD_THEN_BAND = new RegExp(String.raw`\b(?:daily|hourly|weekly|harian|mingguan|per hari|per jam|sehari)(?: (?:salary|pay|wage|income|earnings?|gaji|upah|penghasilan|bayaran))?(?: is| of| sebesar| antara| between)?:? ${BAND}`, 'g');
const PAY_WORD = /\b(?:gaji|salary|upah|penghasilan|income|earn\w*|pay|paid|komisi|commission|bayaran|dibayar|wages?)\b/;
const UNIT: Readonly<Record<string, number>> = { ribu: 1e3, rb: 1e3, k: 1e3, juta: 1e6, jt: 1e6, jutaan: 1e6 };

/** A number as a pay band writes it ("2.000.000", "1,5", "500") with its unit ("ribu", "jt"). */
function bandValue(num: string, unit: string | undefined): number {
  const grouped = /^\d{1,3}(?:[.,]\d{3})+$/.test(num);
  const n = grouped ? Number(num.replace(/[.,]/g, '')) : Number(num.replace(',', '.'));
  return n * (unit ? UNIT[unit] ?? 1 : 1);
}

/** The expressions widePayBand runs (registered with the checker's prefilter, detect.ts). */
export const WIDE_BAND_EXPRESSIONS: readonly RegExp[] = [BAND_THEN_PERIOD, PERIOD_THEN_BAND];

/**
 * Pay for a day, an hour, a week or a task given as a wide band, its top three times its bottom or more
 * ("gaji 100-500 ribu/hari", "daily salary 500-2000", "hourly salary is 1880-7880"): what the pitch of
 * a task scam promises; an employer paying by the day knows its rate ("80-100 ribu per hari").
 * Returns the band's span in the normalised text, or null.
 */
export function widePayBand(t: string, matches: (re: RegExp) => boolean = () => true): [number, number] | null {
  for (const re of WIDE_BAND_EXPRESSIONS) {
    // (`matches`: false where `re` cannot match `t`, which the checker's prefilter knows sooner than a
    // search; most offers hold no band)
    if (!matches(re)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      // Two alternatives in BAND_THEN_PERIOD: its groups 1-4 or 5-8.
      const g = m[1] !== undefined ? m.slice(1, 5) : m.slice(5, 9);
      const [n1, u1, n2, u2] = g as [string, string | undefined, string, string | undefined];
      if (n1 === undefined || n2 === undefined) continue;
      // "100-500 ribu": the unit written once is both ends'.
      const low = bandValue(n1, u1 ?? u2);
      const high = bandValue(n2, u2 ?? u1);
      // Money: a currency or a unit written, or a word for pay just before ("shift 1-3 per hari" is not).
      const money = /rp|\$|usd|php|ribu|rb|juta|jt|\dk\b|dollar|rupiah|rupee|peso|\dp\b/.test(m[0]) || PAY_WORD.test(t.slice(Math.max(0, m.index - 30), m.index + m[0].length));
      if (money && low > 0 && high >= 3 * low) return [m.index, m.index + m[0].length];
    }
  }
  return null;
}

/** What the task-scam detector weighs besides its cue groups. */
export interface TaskSigns {
  /** the highest pay quoted per day, week or task, as rupiah for a day of the work (a task's pay as a day's) */
  payPerDayIdr?: number;
  /** pay quoted per day, week or task at all, in any currency */
  paidByPeriod?: boolean;
  /** a wa.me or t.me link, or a Telegram @handle */
  chatLink?: boolean;
  /** pay for a day, an hour, a week or a task given as a wide band (widePayBand): counted as a strong cue */
  wideBand?: boolean;
  /** an e-mail address at an employer's own domain, or a link to a site of its own (not a form, short link or chat link) */
  ownContact?: boolean;
  /** the writer says they are looking for work themselves ("saya mencari kerja", "I'm looking for a part-time job") */
  seeking?: boolean;
}

/** The writer looking for work themselves, in the first person (a scam asks "are you looking for…?"). */
export const SEEKING_WORK = new RegExp(
  String.raw`\b(?:saya|aku)\b(?:(?!\b(?:anda|kamu|kak|kakak|you|bapak|ibu)\b)[^.?!\n]){0,40}\b(?:mencari|cari|butuh) (?:kerja|pekerjaan|lowongan|kerjaan)\b|\b(?:i am|i'm|im)(?: \w+){0,2} (?:looking|searching) for (?:a |an )?(?:[\w-]+ ){0,2}(?:job|work|position|role)\b`,
);

/** A day's pay above this, for work of a few minutes or work said to be "very simple", is more than the effort earns. */
export const TASK_PAY_EASY_IDR = 150_000;
/** Above this a day's pay (about five times the highest provincial minimum for a working day) is high for any unskilled work. */
export const TASK_PAY_ANY_IDR = 1_000_000;

/** Tasks a day the pay of one is counted for: a like or a rating takes a minute. */
const TASKS_A_DAY = 20;

/** A pay for its period as rupiah for a day of the work: a week's over five days, a month's over 22, a task's twenty times. */
export function taskDayIdr(idr: number, per: PayPeriod | undefined): number | undefined {
  if (per === 'day') return idr;
  if (per === 'task') return idr * TASKS_A_DAY;
  if (per === 'week') return idr / 5;
  if (per === 'month') return idr / 22;
  return undefined;
}

/** The hosts of chat links: a stranger's pitch sends people there. */
export const CHAT_HOSTS: ReadonlySet<string> = new Set(['wa.me', 't.me', 'api.whatsapp.com', 'chat.whatsapp.com', 'telegram.me']);

/** Whether the pay per day (or task) is high for the effort the offer describes. */
export function taskPayHigh(payPerDayIdr: number | undefined, found: ReadonlySet<TaskCue>): boolean {
  if (payPerDayIdr === undefined) return false;
  // Only minutes of work or work said to be easy make a modest day's pay high; "tasks" names the work,
  // not its effort (a day's minimum wage in Jakarta is about Rp 245,000).
  const easy = found.has('littletime') || found.has('easy');
  return payPerDayIdr >= (easy ? TASK_PAY_EASY_IDR : TASK_PAY_ANY_IDR);
}

/**
 * The task-scam flag's weight, or 0. It judges the pitch as a whole: strong cues (a few minutes a day,
 * only a phone, liking or rating for pay, HR or "your CV passed" out of the blue, "reply 1", pay high
 * for that effort) count two points, weak ones (part-time, pay by the day or task, a stranger's
 * introduction, a brand's name, a chat link, "click the link") one. Two strong cues with one more
 * point, or one strong cue with three weak ones, are decisive (2.5, "high"; 3.0 from six points with
 * two strong); one strong and two weak, 2.0. Weak cues alone are never a task scam: a shop's
 * part-time ad with daily pay and a WhatsApp link has only those.
 */
export function taskWeight(found: ReadonlySet<TaskCue>, s: TaskSigns = {}): number {
  const high = taskPayHigh(s.payPerDayIdr, found);
  const strong = STRONG_TASK_CUES.filter((c) => found.has(c)).length + Number(high) + Number(s.wideBand === true);
  const weak = Number(found.has('parttime')) + Number(found.has('perday') || s.paidByPeriod === true)
    + Number(found.has('intro')) + Number(found.has('brand')) + Number(found.has('link') || s.chatLink === true);
  const points = 2 * strong + weak;
  if (strong === 0 || points < 4) return 0;
  // A stranger who writes as a recruiter and introduces themselves by name ("Hi, my name is Brianna
  // and I'm a recruiter, we need part-time assistants"): the opening of the task scam, its pitch to follow.
  // Not a recruiter who names their employer's own site or address, nor someone looking for work.
  const opener = found.has('outreach') && found.has('intro') && s.ownContact !== true && s.seeking !== true;
  return strong >= 2 && points >= 6 ? 3.0 : points >= 5 || opener ? 2.5 : 2.0;
}

/**
 * The state's bodies and companies named in both the institution and the state cue groups below:
 * non-ministerial bodies, regional offices, state companies and their subsidiaries, the civil service,
 * police and army ranks, programmes; and the regional development banks (BPD).
 */
const MORE_STATE_NAMES = String.raw`bssn|bnpt|anri|bapeten|bpkp|bpip|lemhannas|perpusnas|lkpp|lembaga kebijakan pengadaan|ombudsman|kppu|komnas ham|kpai|dinas (?:perhubungan|kesehatan|pendidikan|sosial|pertanian|lingkungan hidup|kebersihan|pemadam kebakaran|tenaga kerja|kependudukan|pariwisata|perikanan|pekerjaan umum)|pnm|permodalan nasional madani|perumnas|jamkrindo|askrindo|jasindo|bank tabungan negara|bank negara indonesia|bank rakyat indonesia|pembangunan perumahan|brantas abipraya|nindya karya|len industri|industri kereta api|pt inka|airnav|biro klasifikasi indonesia|pertamina hulu [a-z]+|patra niaga|pupuk sriwidjaja|pusri|semen (?:padang|tonasa|gresik)|icon plus|mind id|id food|perikanan indonesia|pt garam|sarinah|hotel indonesia natour|pertani|dahana|mitratel|pemda|pemerintah daerah|bumd|pdam|perumda|asn|pns|bintara|tamtama|akpol|akmil|brimob|polda|polres|kodam|angkatan (?:darat|laut|udara)|bakamla|bnpb|bpbd|brin|kpk|kejaksaan|mahkamah agung|lapas|kemenimipas|bpom|badan pertanahan nasional|bkkbn|bappenas|prakerja|fhci|forum human capital indonesia|rekrutmen bersama bumn`;
const REGIONAL_BANKS = String.raw`|\bbank (?:bjb|jatim|jateng|dki|sumut|nagari|kalbar|kaltimtara|papua|ntt|sulselbar|riau kepri|sumsel babel|bengkulu|jambi|lampung|kalsel|kalteng|sultra|sulteng|sulutgo|maluku|ntb syariah|aceh|banten|bpd [a-z]+|daerah)\b`;

/**
 * The famous private employers among the institution names (INSTITUTION_CUES.institution holds them,
 * and Bank BCA among its banks): big brands whose names fake vacancies borrow. They recruit through
 * their own careers sites, as the state does; a vacancy in one's name that shows none is to be checked
 * there (detect.ts).
 */
const FAMOUS_NAMES = String.raw`djarum|indomaret|alfamart|unilever|j&t|j ?& ?t express|sinar sosro|sosro|roti ?'?o|miniso|hokben|arutmin|imip|iwip|weda bay|freeport|gudang garam|sampoerna|astra|indofood|mayora|lion air|citilink|batik air`;
export const FAMOUS_EMPLOYER = new RegExp(`^(?:${FAMOUS_NAMES}|bank bca)$`);

/** Cue groups of the fake-institution detector. */
export const INSTITUTION_CUES = {
  /** a ministry, state company, bank, public body or famous employer */
  institution: String.raw`\b(?:pln|${MORE_STATE_NAMES}|pertamina|telkom(?:sel)?|kereta api|pt kai|garuda|pelni|angkasa pura|jasa marga|bulog|pupuk indonesia|semen indonesia|pos indonesia|pegadaian|bumn|persero|kementerian|kementrian|kemen[a-z]{2,10}|kemnaker|bnn|dishub|pgn|perusahaan gas negara|indonesia power|injourney|kai commuter|kci|rsud|puskesmas|tni|polri|(?<!perjalanan |kendaraan |mobil |rumah |pakaian |baju )dinas|cpns|pppk|bpjs|ojk|pemerintah|pemkab|pemkot|pemprov|${FAMOUS_NAMES}|universitas|rumah sakit|koperasi desa|makan bergizi gratis|badan gizi|pendamping (?:lokal )?desa|petugas (?:haji|penyelenggara ibadah haji)|ppih|tenaga kesehatan haji|ikn|morowali|pelindo|pupuk kaltim|pupuk kujang|petrokimia gresik|kimia farma|bio farma|indofarma|ptpn|perkebunan nusantara|inalum|antam|aneka tambang|krakatau steel|hutama karya|waskita karya|wijaya karya|wika|adhi karya|pt timah|bukit asam|perhutani|jasa raharja|taspen|asabri|damri|asdp|transjakarta|mrt jakarta|sucofindo|peruri|pt pal|pindad|dirgantara indonesia|bank syariah indonesia|bsi|bpk|bps|badan pusat statistik|kpu|kpps|bawaslu|bkn|basarnas|bmkg|satpol pp|sensus (?:pertanian|penduduk|ekonomi)|pkh|program keluarga harapan|pendamping sosial|bansos|sekolah rakyat|sppg|satuan pelayanan pemenuhan gizi|danantara|bea cukai|imigrasi|kemenkumham|damkar|pemadam kebakaran|petani milenial|bapanas|badan pangan nasional|lpdp|baznas|badan (?:pusat|nasional) [a-z]+)\b|\bbank (?:bri|bni|mandiri|btn|bca|indonesia)\b|\b(?:bri|bni|btn)\b${REGIONAL_BANKS}`,
  /** registration by clicking a link (not on an official site) */
  vialink: String.raw`\b(?:klik|click) (?:link|tautan|disini|di sini|daftar)\b|\blink (?:di ?bawah|dibawah|berikut|pendaftaran|daftar)\b|\b(?:melalui|lewat|via|akses) (?:link|tautan)\b|\bdaftar sekarang\b|\bpendaftaran (?:online )?(?:melalui|lewat|klik|di) (?:link|tautan|bawah|sini)\b|\bcara (?:daftar|pendaftaran)\b[^.\n]{0,40}\b(?:link|klik)\b`,
  /** "registration is free": scammers say it first */
  free: String.raw`\b(?:pendaftaran|daftar|rekrutmen|seleksi)\b[^.\n]{0,25}\b(?:gratis|tanpa biaya|tampa biaya)\b|\bgratis\b[^.\n]{0,25}\b(?:tidak|tanpa) (?:di ?)?(?:pungut|dipungut) biaya\b|\btidak (?:di ?|me)?(?:pungut|mungut|memungut|dipungut) biaya(?: apapun)?\b`,
  /** pass it on to relatives and friends */
  chain: String.raw`\binfokan (?:juga )?(?:ke |kepada )?(?:saudara|kerabat|teman|keluarga)|\b(?:share|bagikan|sebarkan) (?:ke|kepada) (?:saudara|kerabat|teman|keluarga)|\b(?:saudara|kerabat|tetangga|teman)(?: \w+){0,4} yang (?:membutuhkan|butuh|sedang mencari)\b|\bcalon kuota\b`,
  /** every level of schooling at once, and a wide pay band */
  wide: String.raw`\b(?:sma|smk|slta)\b[^.\n]{0,40}\b(?:s2|s3|d4)\b|\bgaji\b[^.\n]{0,25}\b\d+ ?(?:juta|jutaan|jt)? ?(?:-|sampai|hingga|s\/d) ?\d+ ?(?:juta|jutaan|jt)\b`,
  /** placement "by your home area": what the fakes promise everyone (real recruitment places people where the posts are) */
  domicile: String.raw`\bpenempatan(?: kerja)? (?:sesuai|di|menurut)(?: dengan)? (?:domisili|daerah (?:masing-masing|kalian|anda|asal|peserta|domisili))\b|\bsesuai(?: dengan)? (?:domisili|daerah) (?:kalian|anda|masing-masing|peserta|asal|dari)\b|\bpenempatan sesuai domisili\b|\bsesuai(?: dengan)? domisili\b`,
  /** the bait of a post whose link sits elsewhere: "link in bio", "fill in your data", "log in with Telegram" */
  bait: String.raw`\b(?:web )?link (?:di |pada |ada di )?bio\b|\blink\b[^.\n]{0,30}?(?:\bdi ?bio|\bin bio)\b|\b(?:hubungi|menghubungi|chat|kontak|kontak langsung|wa|whatsapp) (?:langsung )?(?:admin|mimin|min)\b(?! (?:gudang|kantor|toko|keuangan|staff?|staf|penjualan|sales|ecommerce|e-commerce|online shop|marketplace|produksi|logistik|finance|hrd)\b)|\bbio (?:profil|profile)\b|\bisi data\b|\blogin (?:dengan |pakai |menggunakan |via )?(?:akun )?telegram\b|\bklik (?:daftar|tombol|link (?:yg|yang|untuk))\b`,
  /**
   * a way into the civil service around its open selection: a quota of appointments, a special route,
   * someone inside, to be arranged with an official ("5 jatah yang akan diangkat menjadi PNS … bisa
   * berkoordinasi langsung dengan beliau"). The civil service recruits only through its open selection
   * (SSCASN, data/contacts.yaml casn_recruitment); this is how brokers sell seats. Tight forms only:
   * "jatah cuti", "jatah makan" and "barang titipan" are ordinary words of job ads, "jatah formasi
   * CPNS" (the quota of posts each office is given) of the news, "jalur khusus bagi lulusan cumlaude /
   * penyandang disabilitas" of the selection itself, and "berkoordinasi langsung dengan kepala gudang"
   * of a job's duties.
   */
  special: String.raw`\bjatah\b(?!(?: \w+)? (?:formasi|cuti|makan|libur|lembur)\b)(?: \w+){0,6} (?:pns|asn|cpns|pppk|diangkat|pengangkatan|kursi)\b|\b(?:pns|asn|cpns|pppk)\b(?: \w+){0,4} jatah\b(?!(?: \w+)? formasi\b)|\bjalur (?:khusus\b(?! (?:bagi|untuk) (?:lulusan|penyandang|disabilitas|putra|putri|diaspora)\b)|belakang|titipan|orang dalam)\b(?: \w+){0,6} (?:pns|asn|cpns|pppk|pegawai|diangkat|diterima|lolos)\b|\b(?:pns|asn|cpns|pppk)\b(?: \w+){0,6} (?:jalur (?:khusus\b(?! (?:bagi|untuk) (?:lulusan|penyandang|disabilitas|putra|putri|diaspora)\b)|belakang|titipan)|orang dalam)\b|\b(?:koordinasi|berkoordinasi) langsung dengan beliau\b`,
  /** pay promised in the institution's name */
  pay: String.raw`\bgaji\b[^.\n]{0,30}\b(?:rp ?)?\d+(?:[.,]\d+)? ?(?:juta|jt|jta)\b`,
  /** identity documents asked for (KTP, family card, CV, diploma, photo, police record): what the fake collects */
  docs: String.raw`\b(?:kirim(?:kan)?|lampirkan|melampirkan|sertakan|menyertakan|siapkan|menyiapkan|upload|unggah|foto|scan|fotokopi|fotocopy)\b[^.\n]{0,40}\b(?:ktp|kartu keluarga|kk|cv|riwayat hidup|ijazah|pas ?foto|skck)\b`,
  /** tickets and lodging booked through a travel agent the letter names, paid first and "refunded later": the call-letter fake */
  travel: String.raw`\b(?:reservasi|pemesanan|booking|pesan) (?:tiket|hotel|penginapan|akomodasi)\b[^.\n]{0,60}\b(?:travel|biro|agen|melalui|lewat|via)\b|\b(?:biro (?:perjalanan|travel)|travel agen(?:t|cy)?|agen travel)\b|\bbiaya (?:akomodasi|transportasi|tiket|perjalanan)\b[^.\n]{0,60}\b(?:diganti|dikembalikan|reimburse|direimburse|ditalangi)\b`,
  /** documents asked for by chat */
  docsbychat: String.raw`\b(?:kirim|kirimkan|foto|upload)\b[^.\n]{0,30}\b(?:ktp|kk|kartu keluarga|cv|ijazah)\b[^.\n]{0,30}\b(?:whatsapp|chat|telegram|inbox|dm)\b`,
  /** an official site named in words */
  official: String.raw`\b(?:situs|laman|website|web|portal|akun|instagram) (?:resmi|official)\b|\bofficial (?:website|site|portal|account)\b`,
  /** the state: ministries, state companies, public bodies and programmes (the names fakes borrow most; private employers excluded) */
  state: String.raw`\b(?:pln|${MORE_STATE_NAMES}|pertamina|telkom|kereta api indonesia|pt kai|garuda indonesia|pelni|angkasa pura|jasa marga|bulog|pupuk indonesia|pos indonesia|pegadaian|bumn|persero|kementerian|kementrian|kemen[a-z]{2,10}|kemnaker|bnn|dishub|pgn|perusahaan gas negara|indonesia power|injourney|kai commuter|kci|rsud|puskesmas|cpns|pppk|koperasi desa merah putih|makan bergizi gratis|badan gizi nasional|pendamping (?:lokal )?desa|petugas (?:haji|penyelenggara ibadah haji)|ppih|tni|polri|pelindo|pupuk kaltim|pupuk kujang|petrokimia gresik|kimia farma|bio farma|indofarma|ptpn|perkebunan nusantara|inalum|antam|aneka tambang|krakatau steel|hutama karya|waskita karya|wijaya karya|wika|adhi karya|pt timah|bukit asam|perhutani|jasa raharja|taspen|asabri|damri|asdp|transjakarta|mrt jakarta|sucofindo|peruri|pt pal|pindad|dirgantara indonesia|bank syariah indonesia|bsi|bpk|bps|badan pusat statistik|kpu|kpps|bawaslu|bkn|basarnas|bmkg|satpol pp|sensus (?:pertanian|penduduk|ekonomi)|pkh|program keluarga harapan|pendamping sosial|bansos|sekolah rakyat|sppg|satuan pelayanan pemenuhan gizi|danantara|bea cukai|imigrasi|kemenkumham|damkar|pemadam kebakaran|petani milenial|bapanas|badan pangan nasional|lpdp|baznas|badan (?:pusat|nasional) [a-z]+)\b|\bbank (?:bri|bni|mandiri|btn)\b${REGIONAL_BANKS}`,
  /** recruitment announced */
  recruiting: String.raw`\b(?:rekrut(?:ment|men)|rekruitmen|recruitment|lowongan|loker|penerimaan (?:pegawai|karyawan|calon|tenaga|petugas|relawan|anggota|mitra|cpns|pppk|pns|asn|bintara|tamtama|taruna|honorer)|membutuhkan|mencari (?:karyawan|pegawai|tenaga|calon|petugas|staf|staff)|kesempatan (?:berkarir|berkarier|bergabung|kerja)|bergabung (?:bersama|dengan|menjadi)|daftarkan (?:diri|dirimu)|pelamaran|pendaftaran|seleksi|formasi|vacanc(?:y|ies)|hiring|dibuka|di buka|membuka|dibutuhkan|di butuhkan|dicari|calon (?:pegawai|karyawan)|(?:surat )?(?:panggilan|undangan) (?:tes|test|kerja|interview|wawancara|seleksi))\b`,
} as const;
export type InstitutionCue = keyof typeof INSTITUTION_CUES;

/**
 * Cue groups of overseas mass recruitment (hoaxes that need no compound vocabulary): hundreds or
 * thousands wanted abroad at once, in a government's name or open to anyone, with everything paid and
 * a push to answer now. Read only when the offer points abroad and names no licensed agency (P3MI),
 * official scheme or official site.
 */
export const OVERSEAS_CUES = {
  /** hundreds of workers or posts wanted at once */
  mass: String.raw`\b(?:dibutuhkan|membutuhkan|butuh|merekrut|rekrut|mencari|dibuka|membuka|recruiting|needs?|hiring|wanted|opens?)\b[^.\n]{0,40}\b\d{1,3}(?:[.,]\d{3})+(?: ?\([^)\n]{0,40}\))? ?(?:orang|tenaga kerja|pekerja|workers?|people|karyawan|posisi|formasi|lowongan|jobs|positions|vacancies)\b|\b[1-9]\d{2,3} ?(?:orang )?(?:tenaga kerja|pekerja|workers|karyawan)\b|\b(?:dibutuhkan|membutuhkan|butuh|merekrut|rekrut|mencari|dicari|recruiting|needs?|hiring|wanted)\b[^.\n]{0,20}\b[1-9]\d{2,3} ?(?:orang|people|persons)\b|\bratusan (?:pekerja|tenaga kerja|orang|lowongan)\b|\bhundreds of (?:workers|people|jobs|vacancies)\b|\bthousands of (?:workers|jobs|vacancies|immigrants|migrants|applicants)\b|\bribuan (?:pekerja|tenaga kerja|orang|lowongan|imigran|pelamar)\b|\b(?:number of|jumlah) (?:immigrants|migrants|foreign workers|workers|applicants|imigran|pekerja(?: asing| migran)?|tenaga kerja(?: asing)?|pelamar)\b[^.\n]{0,30}\b\d{1,3}(?:[.,]?\d{3})+\b|\bbesar-besaran\b|\bmassal\b`,
  /** travel, visa, lodging and meals all paid: the lure, not a reassurance, when no agency is named */
  allpaid: String.raw`\b(?:tiket|visa|asrama|mess|makan|akomodasi|penginapan|tempat tinggal|flights?|tickets?|accommodation|dormitory|housing|meals?)\b[^.\n]{0,50}\b(?:gratis|free|ditanggung|dibayar|covered|paid|provided|disediakan)\b(?! (?:sendiri|oleh (?:pekerja|peserta|calon|pelamar|anda)|by (?:the )?(?:workers?|applicants?|candidates?|you|yourself)))|\b(?:semua |seluruh )?biaya\b(?:(?!\b(?:tidak|tak|bukan|belum)\b)[^.\n]){0,10}\b(?:gratis|ditanggung|dibayar)\b[^.\n]{0,25}\b(?:tiket|visa|asrama|mess|makan|akomodasi|penginapan)\b|\b(?:all )?(?:costs?|expenses)\b(?:(?!\b(?:not|never|no)\b)[^.\n]){0,10}\b(?:covered|paid|free)\b[^.\n]{0,25}\b(?:flights?|tickets?|visas?|accommodation|dormitory|housing|meals?)\b`,
  /** anyone may come: every nationality, no condition */
  anyone: String.raw`\ball nationalities\b|\b(?:open|terbuka) (?:to|for|untuk) (?:all|everyone|anyone|semua|umum)\b|\banyone can apply\b|\bsiapa (?:saja|pun) (?:bisa|boleh|dapat)\b|\bsemua kalangan\b`,
  /** the visa or permit promised as a formality */
  easyvisa: String.raw`\binstant (?:work )?(?:permit|visa)\b|\bvisa sponsorships?\b|\bsponsor(?:ed)? (?:work )?visas?\b|\bvisa (?:application )?assistance\b|\b(?:visa|work permit) (?:is )?(?:guaranteed|dijamin)\b|\bjaminan visa\b`,
  /** a government or a ministry said to be behind it: what the hoax borrows */
  claim: String.raw`\bpemerintah\b|\bkerajaan\b|\bgovernment\b|\bkementerian\b|\bkementrian\b|\bministry\b|\bpetugas (?:haji|penyelenggara ibadah haji)\b|\bppih\b`,
  /** a push to answer now, or by chat */
  push: String.raw`\bsegera\b|\bsecepatnya\b|\b(?:pendaftaran|kuota|tempat) terbatas\b|\blimited (?:slots?|places|quota)\b|\bhurry\b|\b(?:click|klik)(?: on)? (?:the |this )?(?:link|tautan)\b[^.\n]{0,60}\b(?:whatsapp|telegram)\b|\b(?:hubungi|contact|message)\b[^.\n]{0,20}\b(?:koordinator|whatsapp|telegram)\b`,
  /** haji officers work in Saudi Arabia: abroad though no country is named */
  haji: String.raw`\bpetugas (?:haji|penyelenggara ibadah haji)\b|\bppih\b`,
} as const;
export type OverseasCue = keyof typeof OVERSEAS_CUES;

/**
 * The overseas mass-recruitment flag's weight, or 0 (the caller asks only abroad, with no lawful sign
 * of weight 1 or more, such as a licensed agency or an official scheme, and no official site). Hundreds
 * wanted at once are the family; a government or ministry said to be behind them counts two points
 * (the caller has made sure no official site or scheme is named to verify it on: that is the hoax
 * itself), everything paid (travel, visa, lodging, meals), "anyone may apply", a visa or permit
 * promised as a formality, a push to answer now or by chat one each. Mass recruitment with two more
 * points is decisive (2.5: hundreds of jobs in a government's name, everything paid with a push, or
 * open to everyone with an instant permit); with one, 2.0; alone, 1.5. Without a mass number it is not
 * this family (other detectors judge it).
 */
export function overseasWeight(found: ReadonlySet<OverseasCue>): number {
  if (!found.has('mass')) return 0;
  const lure = Number(found.has('allpaid')) + Number(found.has('anyone')) + Number(found.has('easyvisa'));
  const points = 2 * Number(found.has('claim')) + Math.min(lure, 2) + Number(found.has('push'));
  return points >= 2 ? 2.5 : points === 1 ? 2.0 : 1.5;
}

/** Hosts no institution recruits through: link shorteners, free sites and forms, chat links, throwaway domains. */
const UNOFFICIAL_HOST = /(?:^|\.)(?:my\.id|web\.id|biz\.id|blogspot\.com|wordpress\.com|weebly\.com|wixsite\.com|000webhostapp\.com|bit\.ly|s\.id|tinyurl\.com|linktr\.ee|forms\.gle|cutt\.ly|shorturl\.at|rebrand\.ly|wa\.me|t\.me|chat\.whatsapp\.com)$|\.(?:win|xyz|top|site|online|click|icu|buzz|live|vip|cc|shop|store|sbs|cfd)$|^docs\.google\.com$/;
/** An address the way chat posts write it to dodge filters: "joinx[dot]my[dot]id". */
const DEFANGED = /\[ ?dot ?\]|\(dot\)|\s+dot\s+/gi;

/** The host of a link as written in an offer (scheme optional, "[dot]" read as "."), lower case. */
export function hostOf(link: string): string {
  const plain = link.replace(DEFANGED, '.').replace(/^[a-z]+:?\/\/+/i, '').replace(/^www\./i, '');
  return (plain.split(/[/?#:]/)[0] ?? '').toLowerCase();
}

/** A link to a government site (.go.id) or a company's own (.co.id, .ac.id, .or.id): where institutions announce. */
export function institutionalLink(link: string): boolean {
  return /\.(?:go|co|ac|or|mil|sch)\.id$/.test(hostOf(link));
}

/** Whether a link goes somewhere no institution recruits through. */
export function unofficialLink(link: string): boolean {
  const host = hostOf(link);
  return host !== '' && !host.endsWith('.go.id') && UNOFFICIAL_HOST.test(host);
}

/**
 * Job boards that carry real vacancies, and the applicant-tracking services employers put their careers
 * pages on: a link to one is not a lookalike of an institution's site.
 */
const JOB_BOARDS = /(?:^|\.)(?:jobstreet\.(?:co\.id|com)|karir\.com|glints\.com|kalibrr\.com|linkedin\.com|indeed\.com|id\.indeed\.com|topkarir\.com|kitalulus\.com|dealls\.com|urbanhire\.com|jobs\.id|loker\.id|karirhub\.kemnaker\.go\.id|lever\.co|greenhouse\.io|workable\.com|smartrecruiters\.com|bamboohr\.com|recruitee\.com|breezy\.hr|ashbyhq\.com|jobvite\.com|icims\.com|myworkdayjobs\.com|taleo\.net|successfactors\.com|jobs\.ps\.gov\.sg)$/;
/** Words of a job site's name: a recruitment drive's own site is on the institution's domain, not one named for jobs. */
const JOB_SITE_WORD = /loker|lowongan|lowker|rekrut|recruit|karir|career|jobs?|vacanc|kerja/;
const JOB_SITE_WORDS = new RegExp(JOB_SITE_WORD.source, 'g');
/** The part of a host its owner registered: the last two labels, three under .co.id, .go.id, .or.id, .ac.id, .web.id, .co.uk... */
function registered(host: string): string[] {
  const labels = host.split('.');
  const n = labels.length >= 3 && /^(?:co|go|or|ac|web|my|biz|sch|mil|net|com|org)$/.test(labels[labels.length - 2]!) ? 3 : 2;
  return labels.slice(-n);
}

/**
 * A lookalike of an institution's recruitment site: a domain named for jobs or numbered
 * ("lokerterkini224.com", "jobsstret.com", "lokerbumn45…"), or a recruitment or institution name put
 * in front of someone else's domain ("rekrutmenperusahaanbulog.vrezx.com"), where the domain itself
 * names none of the institutions the text names (`names`: their words, lower case). Known job boards
 * and institutional domains (.go.id, .co.id…) are not lookalikes.
 */
export function lookalikeLink(link: string, names: readonly string[]): false | 'owner' | 'front' {
  const host = hostOf(link);
  if (host === '' || !host.includes('.') || institutionalLink(link) || JOB_BOARDS.test(host)) return false;
  const reg = registered(host);
  const owner = reg[0]!;
  if (names.some((n) => owner.includes(n))) return false;
  // In front of the domain: a label that is more than a job word ("lowongankerjaptpamapersadanusantara",
  // "openrecruitment-orangtuagroup24", "rekrutmenperusahaanbulog"), or an institution's name. A bare
  // "careers.", "karir.", "e-recruitment." in front of an employer's own domain is how careers sites are named.
  const front = host.split('.').slice(0, -reg.length);
  const stuffed = (label: string) => JOB_SITE_WORD.test(label) && label.replace(JOB_SITE_WORDS, '').replace(/^(?:e|open|my|s)?[-_]?|[-_]/g, '').length >= 4;
  if (front.some((l) => stuffed(l) || names.some((n) => l.includes(n)))) return 'front';
  return JOB_SITE_WORD.test(owner) || /\d{2,}/.test(owner) ? 'owner' : false;
}

/** A free-mail address (anyone can open one in any name: rekrutmen.pln@gmail.com, rekrutmen.pln@email.com). */
export const FREE_MAIL = /(?<![\w.+-])[\w.+-]{1,64}@(?:gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|live|aol|mail|email|icloud|gmx|yandex|proton(?:mail)?)\.[a-z.]+/i;

/** Defanged links ("site[dot]my[dot]id/x") that the link finder does not see. */
export function defangedLinks(original: string): string[] {
  // Anchored on the left and bounded: unanchored, a long run of letters is rescanned from every position.
  if (!/\[ ?dot ?\]|\(dot\)/i.test(original)) return [];
  return original.match(/(?<![\w-])[\w-]{1,63}(?:(?:\[ ?dot ?\]|\(dot\))[\w-]{1,63})+(?:\/[^\s]*)?/gi) ?? [];
}

/** What the fake-institution detector weighs besides its cue groups. */
export interface InstitutionSigns {
  /** a link no institution recruits through (short link, free site, form, chat link) */
  badLink: boolean;
  /**
   * one of those links puts a recruitment or institution name in front of someone else's domain
   * (lookalikeLink 'front'); a domain merely named for jobs may be an employer's own careers site
   */
  lookalike?: boolean;
  /** a free-mail address (rekrutmen.pln@gmail.com) */
  freeMail: boolean;
  /** a finger pointing down at a link the post (or the quote) leaves out */
  pointsDown?: boolean;
  /** a personal mobile number to register or send documents to */
  mobile?: boolean;
  /** a fee the applicant pays, found by the fee rules */
  fee?: boolean;
  /** a link on an institution's own domain (.go.id, .co.id, .ac.id...) */
  ownSite?: boolean;
  /**
   * Whether an institution is named as the one hiring (a recruiting word a few words from its name,
   * employerNamed); false when it is only where the job is or what the applicant was ("near the RSUD",
   * "retired TNI/Polri"). Unset: as the employer.
   */
  employer?: boolean;
  /** the same for the state's bodies and companies: otherwise registration by chat is a warning at most */
  stateEmployer?: boolean;
  /** "registration free!" said loudly (pendaftaran … gratis), not the usual "tidak dipungut biaya" */
  loudFree?: boolean;
  /** a job is named (lowongan, rekrutmen, pegawai, petugas, relawan…): not a clinic's or a school's free registration */
  jobWord?: boolean;
}

/** Between a recruiting word and an institution's name: a place, a past or a school, not the employer. */
const NOT_EMPLOYER = /\b(?:dekat|depan|samping|sebelah|belakang|seberang|sekitar|area|kawasan|near|opposite|next to|pensiunan|purnawirawan|mantan|eks|ex|lulusan|alumni|peserta|pasien|dapat|mendapat(?:kan)?|terdaftar|plus|tunjangan|fasilitas|benefit)\b|[+&]/;

/**
 * Whether one of the institution's names stands as the employer: a recruiting word ("rekrutmen",
 * "lowongan", "dibuka", "surat panggilan tes"...) at most four words from it, in the same phrase (no
 * full stop or comma between; "rekrutmen.pln@..." is one phrase) and with no word between that makes
 * the name a place, a past or a benefit ("lowongan perawat klinik dekat RSUD", "satpam, diutamakan
 * pensiunan TNI", "gaji UMR + BPJS").
 * It reads the spans the cue groups already found, and only the few characters between them.
 */
export function employerNamed(t: string, names: ReadonlyArray<readonly [number, number]>, recruiting: ReadonlyArray<readonly [number, number]>): boolean {
  return names.some(([a, b]) => recruiting.some(([c, d]) => {
    if (c < b && a < d) return true;
    const gap = d <= a ? t.slice(d, a) : t.slice(b, c);
    if (gap.length > 60) return false;
    const plain = gap.replace(/\bpt\./g, 'pt').replace(/\((?:persero|tbk)\)/g, '');
    if (/[.,;!?]\s|\n[^\n]*\n/.test(plain) || NOT_EMPLOYER.test(plain)) return false;
    return plain.split(/\s+/).filter((w) => w !== '').length <= 4;
  }));
}

/**
 * The fake-institution flag's weight, or 0. It judges the combination the fake is made of:
 * - who: an institution named (the state's bodies and companies, or a famous employer);
 * - where one registers: outside the institution's domain (a short link, a free site, a form, a
 *   free-mail address), by chat (a personal number, documents sent by WhatsApp: state bodies only,
 *   since shops and clinics do hire by WhatsApp), or through a link the post does not show ("link in
 *   bio", a finger pointing down);
 * - what it asks for: identity documents, a fee, tickets and lodging through its own travel agent.
 * Registration outside the domain, or by chat with documents or a fee asked for, is decisive (3.0);
 * a hidden link with documents or a fee asked for, a fee or a travel agent in the state's name, the
 * state's name with a hidden link and "free" said loudly, or two
 * other marks of the fake (free said loudly, "pass it on", every school level and a wide pay band,
 * placement "by your home area", pay in the state's name) make 2.5; one mark with a way to register
 * 2.0. A post that names the official site, in words or by a link on an institution's domain, is
 * flagged only with an address outside it or a fee. Registration by chat (or by free mail) is decisive
 * only when the institution is the one hiring (employerNamed): beside a name that is only a place or a
 * past ("near the RSUD", "retired TNI/Polri") it makes at most 2.0 without a bad link or a fee.
 */
export function institutionWeight(found: ReadonlySet<InstitutionCue>, s: InstitutionSigns): number {
  const bait = found.has('bait') || s.pointsDown === true;
  const state = found.has('state');
  const offsite = s.badLink || s.freeMail;
  const byChat = state && (s.mobile === true || found.has('docsbychat'));
  const fee = s.fee === true || found.has('travel');
  const w = weighInstitution(found, s, { bait, state, offsite, byChat, fee });
  // Registration by chat (or a free-mail address) is the institution's only where it is the one hiring:
  // beside a name that is only a place or a past ("a clinic near the RSUD", "retired TNI/Polri"), as
  // shops and clinics hire by WhatsApp, it is a warning at most (2.0) without a bad link or a fee.
  const notEmployer = (byChat && s.stateEmployer === false) || (s.freeMail && s.employer === false);
  return notEmployer && !s.badLink && !fee && !found.has('special') ? Math.min(w, 2.0) : w;
}

function weighInstitution(
  found: ReadonlySet<InstitutionCue>,
  s: InstitutionSigns,
  { bait, state, offsite, byChat, fee }: { bait: boolean; state: boolean; offsite: boolean; byChat: boolean; fee: boolean },
): number {
  const asks = found.has('docs') || found.has('docsbychat') || fee;
  const marks =
    Number(s.badLink) + Number(s.freeMail) + Number(found.has('free')) + Number(found.has('chain')) + Number(found.has('wide')) + Number(found.has('docsbychat'))
    + Number(found.has('domicile')) + Number(bait) + Number(found.has('pay') && state && !found.has('wide')) + Number(byChat && !found.has('docsbychat')) + Number(fee);
  if (!found.has('institution')) {
    // No name borrowed (or the quote left it out). A recruitment post that sends people to a lookalike
    // of a recruitment site, a company's name or "lowongan kerja" put in front of someone else's domain,
    // is the fake whatever the company. (A domain merely named for jobs, "jagocareers.com", may be the
    // employer's own: only with an institution named, whose domain it is not, does it count.)
    if (found.has('recruiting') && s.lookalike === true) return 2.5;
    // Otherwise only a registration drive with three marks of the fake at once, e.g. a free-site link +
    // "free" + a finger pointing at it, or "by your home area" + "log in with Telegram" + every school level.
    return found.has('recruiting') && marks >= 3 && (offsite || bait) ? 2.5 : 0;
  }
  // A seat in the civil service sold around its selection: there is no such lawful way, whatever site it names.
  if (state && found.has('special')) return 3.0;
  if ((found.has('official') || s.ownSite === true) && !offsite) return state && fee ? 2.5 : 0;
  if (offsite || (byChat && asks)) return 3.0;
  const hidden = found.has('vialink') || bait;
  // The state's name, a job, registration through a link the post does not show, and "registration
  // free!" said loudly: the fake's whole pitch (a real announcement names its site; "tidak dipungut
  // biaya", its usual disclaimer, is not said loudly).
  if ((hidden && asks) || (state && fee) || (state && hidden && s.loudFree === true && s.jobWord === true)) return 2.5;
  const how = hidden || found.has('docsbychat') || byChat || found.has('domicile');
  if (marks === 0 || (!how && (marks < 2 || !found.has('recruiting')))) return 0;
  return marks >= 2 ? 2.5 : 2.0;
}

/**
 * Cue groups of the fake job letter (the advance-fee job scam): a letter out of the blue saying the
 * person has been accepted by a famous employer, often a cruise line, or that their CV was passed on
 * to it, which then sends them to an "immigration office", an embassy contact, a travel agent or a
 * lawyer the letter names for the visa, the work permit or the ticket, where the money is asked for.
 * Real examples: test/fixtures/offers-real (419scam.org, consumer columns quoting the letters).
 */
export const LETTER_CUES = {
  /** strong: the person is told they have been accepted or selected, or that their salary was set */
  accepted: String.raw`\byour application(?: \w+){0,3} (?:has|have|had|is|was)(?: been)? (?:approved|accepted|successful|shortlisted|selected)\b|(?<!\b(?:if|once|when|unless|whether) )\b(?:you|you've|you have)(?: have)? been (?:selected|shortlisted|accepted|approved|hired|employed|recruited|appointed|offered)\b|\bcongratulations?\b[^.\n]{0,80}\b(?:selected|approved|accepted|successful|hired|employed|offered|shortlisted|appointed)\b|\bthank you for choosing to (?:be (?:a )?part of|join|work (?:with|for|on))\b|\byour (?:salary|pay|wage|remuneration) (?:has been|have been|is|was) (?:evaluated|fixed|determined|set|approved|estimated)\b|\bselamat\b[^.\n]{0,80}\b(?:diterima|lolos|lulus|terpilih)\b|(?<!\b(?:jika|apabila|bila|yang|kalau) )\b(?:anda|kamu|saudara|saudari)(?: \w+){0,2} (?:telah |sudah )?(?:dinyatakan )?(?:diterima|lolos|lulus|terpilih)\b|\blamaran (?:anda|kamu|saudara|saudari)(?: \w+){0,2} (?:telah |sudah )?(?:disetujui|diterima|lolos)\b|\bgaji (?:anda|kamu|saudara|saudari) (?:telah |sudah )?(?:ditetapkan|disetujui|dievaluasi)\b`,
  /** strong: their CV was passed on by someone, or the writer got their details from somewhere */
  forwarded: String.raw`\b(?:resume|cv|curriculum vitae|application|profile)\b(?:\/(?:resume|cv))?(?: \w+){0,3} (?:was|has been|have been|were) (?:forwarded|referred|submitted|sent|passed on|recommended) (?:to us )?by\b|\breaching (?:out to )?you from\b|\b(?:writing|contacting|reaching) you from (?:the |our )?(?:human resources?|hari|hrd?|personnel|recruitment)\b|\bwe (?:got|obtained|received|found) your (?:cv|resume|contact|details|profile|email|number) (?:from|through|via|on)\b|\b(?:cv|lamaran|data|profil) (?:anda|kamu|saudara|saudari)(?: \w+){0,3} (?:diteruskan|direkomendasikan|kami terima dari)\b|\bkami (?:mendapatkan|mendapat|memperoleh) (?:cv|nomor|kontak|data) (?:anda|kamu|saudara|saudari) dari\b`,
  /** strong: the visa, permit or ticket goes through an office, an agent or a lawyer the letter names */
  thirdparty: String.raw`\b(?:contact|reach|email|e-mail|write to|call)\b[^.\n]{0,40}\b(?:immigration|embassy|consulate|visa (?:office|department|agent|section)|travel (?:agent|agency|agencies|office)|lawyer|attorney|legal (?:firm|department|adviser))\b|\b(?:department|office|immigration|embassy|agent|agency|lawyer|attorney)\b[^.\n]{0,20}\bwill (?:contact|email|call) you\b[^.\n]{0,30}\b(?:visa|work permit|permit|ticket)|\b(?:faxed|sent|forwarded|submitted)\b[^.\n]{0,80}\bto the\b[^.\n]{0,30}\b(?:immigration|embassy|consulate)\b|\b(?:our|the company'?s?) (?:accredited|approved|authori[sz]ed|designated|appointed|recogni[sz]ed|official) (?:travel )?(?:agent|agency|lawyer|attorney)\b|\bfollow up (?:with )?your (?:visa|work permit)\b|\b(?:hubungi|menghubungi|kontak)\b[^.\n]{0,40}\b(?:imigrasi|kedutaan|konsulat|agen (?:perjalanan|travel)|travel agent|biro perjalanan|pengacara|notaris)\b|\b(?:imigrasi|kedutaan|agen perjalanan|biro perjalanan)\b[^.\n]{0,30}\bakan menghubungi (?:anda|kamu|saudara|saudari)\b|\b(?:travel|agen perjalanan|biro perjalanan) (?:yang )?(?:kami tunjuk|ditunjuk|resmi kami|rekanan kami)\b`,
  /** weak: a cruise line, the employer these letters borrow most */
  cruise: String.raw`\b(?:royal caribbean|carnival (?:cruises?|cruise lines?|corporation)|princess cruises?|msc cruises?|norwegian cruise|holland america|celebrity cruises?|costa (?:cruises?|crociere)|p ?& ?o cruises?|disney cruise|cunard|viking (?:cruises?|ocean)|silversea|seabourn|oceania cruises?|azamara|cruise (?:lines?|ships?|liners?)|kapal pesiar)\b`,
  /** weak: a work permit or visa to be processed */
  permit: String.raw`\bwork permits?\b|\bwork visas?\b|\bvisa (?:processing|application|fees?)\b|\bprocessing of your (?:work )?(?:permit|visa)\b|\bizin kerja\b|\bvisa kerja\b|\bproses(?:ing)? visa\b|\bpengurusan visa\b`,
  /** weak: a contract to sign and send back */
  contract: String.raw`\b(?:sign|signed|endorse)\b[^.\n]{0,40}\b(?:contract|agreement|offer letter)\b|\b(?:employment|contract) (?:contract )?letter\b|\bscan\b[^.\n]{0,40}\bback to (?:us|our)\b|\b(?:tanda ?tangani|menandatangani)\b[^.\n]{0,30}\b(?:kontrak|perjanjian)\b|\bduration of your contract\b`,
  /** weak: travel documents or tickets to get ready */
  travel: String.raw`\btravel(?:ling)? documents?\b|\b(?:flight|air) ?tickets?\b|\btiket pesawat\b|\bdokumen perjalanan\b`,
} as const;
export type LetterCue = keyof typeof LETTER_CUES;

/** The cue groups that address the person as already chosen: without one it is not such a letter. */
const LETTER_ADDRESS: readonly LetterCue[] = ['accepted', 'forwarded'];

/**
 * The fake-job-letter flag's weight, or 0. The letter tells the person they were accepted (or that
 * their CV was passed on, or their salary set) with no application or interview behind it; the strong
 * cues are that address, the visa, permit or ticket through someone the letter names, and a fee asked
 * for (two points each); a cruise line's name, a permit to process, a contract to sign and send back,
 * travel documents to prepare are in real offers too (one point each). Without the address it is not
 * this family. Two strong cues with a weak one are decisive (2.5; 3.0 with three strong and seven
 * points); four points 2.0; three points (the address and one weak cue) 1.5.
 */
export function letterWeight(found: ReadonlySet<LetterCue>, fee = false): number {
  if (!LETTER_ADDRESS.some((c) => found.has(c))) return 0;
  const strong = Number(found.has('accepted')) + Number(found.has('forwarded')) + Number(found.has('thirdparty')) + Number(fee);
  const weak = Number(found.has('cruise')) + Number(found.has('permit')) + Number(found.has('contract')) + Number(found.has('travel'));
  const points = 2 * strong + weak;
  if (strong >= 3 && points >= 7) return 3.0;
  if (strong >= 2 && points >= 5) return 2.5;
  return points >= 4 ? 2.0 : points >= 3 ? 1.5 : 0;
}
