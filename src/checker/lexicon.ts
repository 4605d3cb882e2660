/**
 * Red-flag and lawful-signal lexicon. Patterns run on the NORMALISED text (lower case, ASCII,
 * chat slang expanded: "gk"→"tidak", "tnp"→"tanpa", "jt"→"juta", "wa"→"whatsapp"...), compiled
 * once at module load. Context-dependent detectors (pay, destination, moratorium, fishing debt)
 * are in detect.ts. Why each flag matters, with sources: data/checker-facts.yaml.
 */
import type { AdviceId } from './advice.js';

/** A detector's registry entry: the flag it raises, and the advice that flag calls for (see advice.ts). */
export interface Detector {
  id: string;
  advice: readonly AdviceId[];
}

/**
 * How much of a text is read (characters); the rest is not judged, and the verdict says so. Here, with
 * no imports, so that hint.ts (loaded by the conversation at start) needs none of the checker's code.
 */
export const MAX_CHARS = 8000;

/** A fee flag's advice: abroad, placement costs may not be charged; at home, do not pay to apply (advice.ts picks one). */
export const FEE_ADVICE: readonly AdviceId[] = ['no_placement_fee', 'no_pay_to_apply'];

export interface RuleDef extends Detector {
  /** positive = risk, negative = lawful signal */
  weight: number;
  patterns: string[];
  /** a match preceded (within a few words) by a negation does not count */
  negatable?: boolean;
  /** text right after the match that cancels it ("biaya tiket ditanggung perusahaan") */
  cancelAfter?: string;
  /** counted only when the offer points abroad */
  needsAbroad?: boolean;
  /** weight multiplier when the offer points abroad */
  abroadBoost?: number;
}

export const NEGATION_BEFORE = String.raw`\b(?:tidak|tanpa|bukan|tak|never|not|no|zero|nol|free of|bebas|gratis|jangan|dilarang|larang|anti|without|non)\b(?:\s+[\w-]+){0,3}\s*$|\b(?:not|never|no longer)(?: be)? (?:responsible|liable) for(?: \w+){0,2}\s*$`;

/**
 * One character of a gap inside a pattern that holds no negation ("gaji tidak dipotong untuk…",
 * "sponsor tidak akan menjemput…"): NEGATION_BEFORE looks only before a match, not inside it.
 */
const CLEAN = String.raw`(?:(?!\b(?:tidak|tak|tanpa|bukan|jangan|boleh|dilarang|gak|nggak|never|not|no)\b)[^.\n])`;

export const RULES: readonly RuleDef[] = [
  // ------------------------------------------------------------ visas
  {
    id: 'tourist_visa',
    advice: ['no_tourist_visa_work'],
    weight: 2.5,
    negatable: true,
    patterns: [
      String.raw`\bvisa (?:turis|turist|wisata|kunjungan|pelancong|tourist|visit|visitor|liburan|holiday|travel|pendek|melancong|ziarah|umroh|umrah|single entry|on arrival)\b`,
      String.raw`\b(?:tourist|visit|visitor|travel|(?<!work and )(?<!working )holiday|business) visas?\b|\bk-?eta\b|\btourist (?:authori[sz]ation|pass)\b|\bsocial visit pass\b`,
      String.raw`\bvisa on arrival\b|\bvisa free\b|\bbebas visa\b`,
      String.raw`\b(?:pakai|menggunakan|memakai|dengan|masuk|berangkat|enter|entering|travel|go|fly)(?: sebagai| pakai| as| on| with)?(?: a)? (?:turis|wisatawan|tourist|pelancong|visitor)\b`,
      String.raw`\b(?:izin|ijin|permit|visa)(?: kerja(?:nya)?)? (?:akan |nanti )?(?:diurus|dibuat|diproses|dibikin|dibuatkan)(?: oleh \w+)? (?:di sana|disana|setelah (?:sampai|tiba|datang)|nanti|menyusul|di lokasi|belakangan|sambil jalan)\b|\b(?:izin|ijin|permit|visa)(?: kerja(?:nya)?)? (?:nanti |akan )?(?:menyusul|urus di sana|diurus di sana)\b`,
      String.raw`\b(?:no|without|tidak perlu|tanpa|gak perlu|tidak usah) (?:work )?permit(?: needed| required)?\b|\b(?:exit|keluar)(?: \w+){0,2} (?:to |ke )?\w+ (?:every|tiap|setiap) \d+ (?:days|hari)\b`,
      String.raw`\b(?:work|working|employment) (?:permit|visa) (?:will be |is )?(?:arranged|processed|done|sorted|given|issued|changed|converted)? ?(?:there|later|after (?:you )?arriv\w*|on arrival|once you arrive|by the company there|after probation)\b|\b(?:company|employer|boss|agent) will (?:arrange|handle|process) (?:the )?(?:work )?(?:permit|visa) (?:there|later|after)`,
      String.raw`\b(?:visa|paspor) (?:diubah|diganti|dikonversi|convert\w*|changed) (?:jadi|menjadi|ke|to) (?:visa )?(?:kerja|work)`,
      // "Masuk pakai paspor pelancong, nanti diurus permit di sana": entry as a visitor, the permit later.
      String.raw`\b(?:paspor|passport|pas) (?:pelancong|turis|wisata|tourist|visitor|lawatan sosial)\b|\b(?:diurus|diuruskan|dibuat|dibuatkan|diproses)(?: \w+){0,2} (?:permit|izin kerja|ijin kerja|visa kerja|permit kerja)(?: \w+)? (?:di sana|disana|setelah (?:sampai|tiba)|menyusul|belakangan)\b`,
      String.raw`\b(?:cukup|hanya|modal|only need|just need|just bring|only bring) (?:bawa |a |your )?(?:paspor|passport)\b`,
      String.raw`\bovers?tay\b|\bkerja (?:kaki|kaburan)\b`,
    ],
  },
  // ------------------------------------------------------------ documents
  {
    id: 'document_retention',
    advice: ['never_hand_passport'],
    weight: 2.5,
    negatable: true,
    cancelAfter: String.raw`^\W{0,3}(?:\w+\W+){0,3}(?:sendiri|pekerja|anda|kamu|you|yourself|worker|employee|the worker)\b`,
    patterns: [
      String.raw`\b(?:paspor|passport|dokumen|ktp|ijazah|buku pelaut|seaman book)(?: asli)?(?: dan \w+)?(?: akan| nanti| wajib| harus| kalian| kamu| anda| semua| peserta)?(?: kami)? (?:di|ke)?(?:tahan|simpan|pegang|titip|titipkan|kumpul|kumpulkan|serahkan|amankan|sita|jaminkan)\b`,
      String.raw`\b(?:serahkan|titipkan|kumpulkan|tinggalkan|menyerahkan|menitipkan|mengumpulkan|diserahkan|dititipkan) (?:semua |seluruh )?(?:paspor|passport|dokumen asli|ktp asli|ijazah asli|kk asli|buku pelaut|seaman book)`,
      String.raw`\b(?:perusahaan|agen|agency|bos|boss|majikan|kantor|company|employer|agent|manager|mandor|sponsor|kami)(?: yang| akan| will| to)? (?:menyimpan|memegang|menahan|pegang|simpan|tahan|hold|holds|keep|keeps|retain|retains|collect|collects|take|takes)(?: semua| all)? (?:paspor|passport|passports|dokumen|documents)`,
      String.raw`\bpassports? (?:will be |are |is |must be |to be |get )?(?:kept|held|retained|collected|surrendered|taken|handed over|deposited|stored|entrusted|safeguarded)\b`,
      String.raw`\b(?:sponsor|agent|agen|broker|calo|tekong|leader|ketua)\b[^.\n]{0,40}\b(?:holds?|keeps?|pegang|simpan|tahan|memegang|menyimpan|menahan)\b[^.\n]{0,12}\b(?:passport|paspor|it|nya)\b`,
      String.raw`\b(?:safeguard|keep|hold) (?:your|the|all) (?:passports?|documents)\b`,
      String.raw`\b(?:passports?|paspor)(?: \w+)? (?:stays?|remains?|will stay|will remain|tetap|disimpan|ditaruh|dipegang) (?:with|di|pada|sama|oleh|in) (?:the |our )?(?:manager|boss|company|agent|employer|hr|agency|office|majikan|bos|agen|perusahaan|kantor|mandor|sponsor)\b`,
      String.raw`\b(?:surrender|hand over|handover|give us|submit|deposit|leave) (?:your |the |all |original )*(?:passport|passports|original documents)\b`,
      String.raw`\b(?:ktp|kk|ijazah|akta|bpkb|sertifikat)(?: asli)? (?:sebagai|untuk|jadi|buat) (?:jaminan|agunan)\b|\b(?:jaminan|collateral|guarantee)(?: berupa| dengan)? (?:paspor|passport|ijazah|ktp|bpkb)\b`,
      String.raw`\b(?:paspor|passport|dokumen|ktp|ijazah|kk)(?: asli)?\b${CLEAN}{0,40}\b(?:diserahkan|dititipkan|dikumpulkan|ditahan|disimpan|dipegang)\b${CLEAN}{0,30}\bsebagai (?:jaminan|agunan)\b|\b(?:paspor|passport|dokumen asli|ktp asli|ijazah asli)\b${CLEAN}{0,40}\b(?:ditahan|disimpan|dipegang)\b[^.\n]{0,10}\b(?:oleh|di|sama) (?:kantor|agen|agency|perusahaan|sponsor|majikan|pt|bos|mandor)\b`,
    ],
  },
  // ------------------------------------------------------------ secrecy
  {
    id: 'secrecy',
    advice: ['keep_family_informed'],
    weight: 2.5,
    patterns: [
      String.raw`\bjangan (?:bilang|kasih tahu|kasih tau|kasi tau|cerita|beritahu|memberitahu|beri tahu|lapor|posting|share|sebar|sebarkan|bocorkan|ngomong)`,
      String.raw`\b(?:di)?rahasiakan\b|\bjaga rahasia\b(?! (?:perusahaan|data|klien|client|pelanggan|nasabah))|\brahasia (?:ya|ini|kita|aja|saja)\b`,
      String.raw`\b(?:tidak|tanpa) (?:perlu |usah )?(?:izin|ijin|persetujuan|tanda tangan) (?:dari )?(?:keluarga|orang tua|ortu|suami|istri|wali)`,
      String.raw`\b(?:don'?t|do not|never) (?:tell|inform|share|post|mention)\b|\bkeep (?:it |this )?(?:secret|private|confidential|quiet|between us)\b`,
      String.raw`\b(?:hapus|delete) (?:chat|pesan|message|messages|percakapan)\b`,
      String.raw`\bbilang (?:saja |aja )?(?:mau |sedang |lagi )?(?:liburan|jalan-jalan|jalan jalan|wisata|umroh|umrah|kunjungan|berlibur)`,
      String.raw`\b(?:say|tell (?:them|immigration|the officers?))(?: that)? (?:you are|you're|you go) (?:a |on |for )?(?:tourist|holiday|vacation|visiting)`,
    ],
  },
  {
    id: 'unofficial_channel',
    advice: [],
    weight: 2.0,
    negatable: true,
    patterns: [
      String.raw`\bnon ?prosedural\b|\btanpa prosedur\b|\bunprocedural\b`,
      String.raw`\b(?:tidak|tanpa|bukan) (?:perlu |usah |harus )?(?:lewat|melalui|lapor(?: ke)?|daftar(?: di| ke)?|urus(?: di| ke)?|ke) (?:disnaker|bp2mi|kp2mi|bnp2tki|dinas|pemerintah|ltsa|imigrasi|kantor imigrasi|blk|lpk resmi|pt resmi|p3mi|pt penempatan|agen resmi)\b|\b(?:tidak|tanpa|bukan) (?:perlu |usah )?(?:lewat|melalui) (?:pt|p3mi|agen|agensi|perusahaan)(?: penempatan)? resmi\b`,
      String.raw`\bsponsor\b${CLEAN}{0,15}\b(?:jemput|menjemput)\b[^.\n]{0,10}\b(?:di|ke|dari) rumah\b|\bsponsor\b${CLEAN}{0,15}\bdatang ke rumah\b`,
      String.raw`\bjalur (?:sponsor|saudara|kenalan|pribadi|perorangan)\b|\bsponsor (?:perorangan|pribadi)\b|\bindividual sponsor\b|\bnot through (?:a |the )?(?:licensed|official|government|registered)\b|\bno need (?:for|to go through|to use) (?:a |the )?(?:licensed|official|government|labou?r office|manpower office|registered)\b|\b(?:without|no) (?:a )?licensed agency\b`,
      String.raw`\b(?:don'?t|do not|never) go to the (?:embassy|immigration|labou?r office|manpower office)\b|\bjangan (?:ke|lapor ke|datang ke) (?:kantor imigrasi|imigrasi|disnaker|kedutaan)\b|\b(?:no|without) (?:bl?k|training cent(?:er|re)) (?:training )?(?:needed|required)?\b|\btidak (?:perlu|usah) (?:ke )?(?:blk|pelatihan|medical)\b`,
    ],
  },
  {
    id: 'vague_destination',
    advice: [],
    weight: 1.5,
    patterns: [
      String.raw`\b(?:location|lokasi|negara(?: tujuan)?|country|destination|tujuan|tempat kerja)(?: \w+){0,2} (?:is |will be |akan |nanti )?(?:confidential|dirahasiakan|rahasia|undisclosed|secret|(?:told|announced|revealed|disclosed|given|dikasih tau|dikasih tahu|diberitahu|dikabari|diinfokan)(?: \w+){0,2} (?:later|nanti|setelah|after|kemudian))\b`,
      String.raw`\b(?:lokasi|location) (?:dirahasiakan|confidential|undisclosed)\b|\b(?:yang jelas|pokoknya|it'?s in|somewhere in|di suatu negara di) (?:asia|asia tenggara|southeast asia)\b|\b(?:special economic zone|kawasan ekonomi khusus|tech park near|casino zone)\b`,
    ],
  },
  // ------------------------------------------------------------ fees
  {
    id: 'upfront_fee',
    advice: FEE_ADVICE,
    weight: 1.5,
    abroadBoost: 1.3,
    negatable: true,
    cancelAfter: String.raw`^[^.\n]{0,35}\b(?:gratis|free|ditanggung (?:oleh )?(?:perusahaan|majikan|pemberi kerja|employer|pt|user|pihak perusahaan|kantor|pemerintah|pengguna|negara)|(?:dibayar(?:kan)?|diganti) (?:oleh )?(?:perusahaan|majikan|employer|pemberi kerja|pengguna|pemerintah)|(?:paid|covered|borne|shouldered) by (?:the )?(?:employer|company|government)|tidak (?:ada|dipungut|dikenakan)|nol|zero|(?:are |is )?illegal|dilarang|we charge none|not charged|none)\b|^\s*\?\s*(?:no|nope|none|tidak|tidak ada|gak|nggak)\b`,
    patterns: [
      String.raw`\b(?:biaya|uang|ongkos) (?:admin|administrasi|pendaftaran|registrasi|proses|pemrosesan|pengurusan|jaminan|garansi|pelatihan|training|medical|medikal|mcu|visa|tiket|penempatan|pemberangkatan|keberangkatan|seragam|akomodasi|sponsor|deposit|kontrak|kesehatan|formulir|materai|interview|wawancara|tes|test|komitmen|booking|paspor|dokumen|kursus|pelicin|rekomendasi|calling|id card|asuransi)\b`,
      String.raw`\bkirim (?:uang|dana|biaya|dp)\b|\b(?:bayar|membayar|transfer|setor|setorkan|dp|uang muka) (?:dulu|di muka|dimuka|duluan|awal|terlebih dahulu|sebesar|ke rekening|ke nomor|ke dana|ke ovo|ke gopay|rp\.?|idr|usd|\d|biaya|fee|deposit)`,
      String.raw`\b(?:registration|processing|application|placement|training|visa|medical|admin|administration|administrative|agency|recruitment|deposit|booking|security|document|documentation|interview|onboarding|ticket|uniform|equipment|starter kit) (?:fee|fees|deposit|charge|charges|cost|payment)\b`,
      String.raw`\b(?:pay|paid|send|transfer|wire|deposit) (?:us |me |the agent )?(?:a |the |an )?(?:small |refundable )?(?:fee|deposit|upfront|in advance|first|before departure|before you (?:start|travel|fly))\b`,
      // "Please pay 350 USD for your work permit processing": the money is named by what it is for.
      // Asked of the applicant ("please", "you must"), not what the employer pays for ("we pay for your training").
      String.raw`\b(?:please|kindly|you (?:must|need to|have to|are required to|will need to)|(?:are |is )?required to|must)(?: \w+)? (?:pay|send|transfer|wire)\b(?: (?!official\b|only\b)[\w$.,'-]+){0,4} (?:for|towards?) (?:your |the )?(?:work permit|working visa|work visa|visa|flight ticket|air ?ticket|ticket|medical|processing|registration|application|insurance|training|documents?)\b`,
      String.raw`\bupfront (?:payment|fee|cost|deposit)\b|\brefundable deposit\b|\b(?:pay|paying|send|transfer|wire)\b(?: (?!official\b|only\b|resmi\b)[\w&'-]+){0,4} (?:fee|fees|(?<!direct )deposit|guarantee|charge)\b`,
      String.raw`\bisi saldo\b|\btop ?up (?:your |the )?(?:account|saldo|balance)\b|\bdeposit (?:dulu|first|minimal|min)\b|\b(?:agar|supaya|biar|so that|so) (?:tidak|gak|you (?:won'?t|don'?t|will not|do not)) (?:kabur|run away|escape)\b`,
      String.raw`\bwajib (?:dipesan|dibeli|beli|pesan|dibayar|bayar) (?:melalui|lewat|di|ke) (?:travel|agen|panitia|rekanan)\b|\bmust (?:be )?(?:booked|bought|paid) (?:through|via) (?:our|the) (?:travel|agent|partner)\b`,
      // The fake test invitation: tickets to be booked through the "company's appointed travel agent".
      String.raw`\b(?:wajib|diwajibkan|harus|diharuskan)\b${CLEAN}{0,40}\b(?:pemesanan|memesan|pesan|membeli|pembelian|beli|booking|reservasi) (?:tiket|hotel|penginapan)\b${CLEAN}{0,60}\b(?:travel|agen|biro)\b(?! (?:sendiri|pilihan (?:anda|sendiri)))|\b(?:wajib|diwajibkan|harus|diharuskan)\b${CLEAN}{0,80}\b(?:travel|agen perjalanan|biro perjalanan) yang (?:sudah |telah )?(?:di ?tunjuk|ditentukan|bekerja ?sama dengan (?:perusahaan|panitia|kami))\b`,
      String.raw`\buang (?:jaminan|muka|pendaftaran|komitmen|garansi|pelicin|tanda jadi|bangunan)\b`,
      // Paying to be selected: "kewajiban membayar administrasi sebesar…".
      String.raw`\b(?:bayar|membayar|dibayarkan)\b(?: [\w.]+){0,2} (?:administrasi|pendaftaran|registrasi)\b`,
      String.raw`\b(?:biaya|ongkos|tiket|visa)[^.\n]{0,25}\bditanggung (?:pelamar|peserta|calon|sendiri|pekerja|kandidat|masing-masing)`,
      String.raw`\b(?:modal|biaya) (?:awal|keberangkatan|berangkat) (?:rp\.?|\d|sebesar|hanya|cuma)`,
    ],
  },
  {
    id: 'salary_deduction',
    advice: FEE_ADVICE,
    weight: 1.6,
    negatable: true,
    patterns: [
      String.raw`\bpotong(?:an)? gaji\b|\bgaji(?:nya)? (?:akan |nanti )?(?:di ?)?potong\b|\bdipotong (?:dari |lewat |via )?gaji\b`,
      String.raw`\bgaji\b${CLEAN}{0,25}\b(?:di ?potong|potong)\b${CLEAN}{0,20}\b(?:buat|untuk|ganti|bayar|mengganti|melunasi|membayar)\b`,
      String.raw`\bpotongan (?:\d|selama|sebesar|per bulan|tiap bulan|setiap bulan|\w+ bulan pertama)`,
      String.raw`\b(?:salary|wage|wages|pay) deduct(?:ion|ions|ed)\b|\bdeduct(?:ed|ion|ions)? (?:\w+ )?from (?:your |the |first )?(?:\w+ )?(?:salary|salaries|wages|pay|paycheck)`,
      String.raw`\b(?:kasbon|hutang|utang|pinjaman|loan|debt|advance)(?: \w+){0,3} (?:akan |nanti |will be )?(?:dipotong|dibayar|dicicil|dilunasi|repaid|deducted|paid back|paid off|cut)(?: \w+){0,2} (?:dari |from |lewat |via |pakai )?(?:gaji|salary|wages|pay)`,
      String.raw`\bcicil(?:an)? (?:dari|lewat|via|pakai|potong) gaji\b|\bbayar(?:nya)? (?:dari|pakai|lewat|dengan|potong) gaji\b`,
      String.raw`\buntil (?:your |the )?(?:debts?|loans?)(?: is| are)? (?:repaid|paid|settled)\b|\bsampai (?:hutang|utang|gaji|potongan|pinjaman)(?: \w+)? lunas\b`,
      String.raw`\b(?:gaji|salary)(?: \w+){0,2} (?:ditahan|held|withheld|dibayar (?:di )?akhir kontrak|dibayar setelah (?:pulang|selesai kontrak)|paid at the end of (?:the )?contract)`,
      String.raw`\b(?:first|pertama) \d+ (?:months?|bulan) (?:gaji |salary )?(?:tidak dibayar|unpaid|untuk bayar|to pay)`,
    ],
  },
  // ------------------------------------------------------------ qualifications
  {
    id: 'contract_on_arrival',
    advice: ['contract_before_departure'],
    weight: 1.5,
    needsAbroad: true,
    negatable: true,
    patterns: [
      String.raw`\b(?:kontrak|perjanjian)(?: kerja)?\b${CLEAN}{0,30}\b(?:ditandatangani|di ?tanda ?tangani|tanda ?tangan|dibuat|diberikan|dikasih|dikasi)\b${CLEAN}{0,20}\b(?:setelah|sesudah|begitu) (?:sampai|tiba|datang)\b`,
      String.raw`\b(?:kontrak|perjanjian)(?: kerja)? (?:nanti |baru )(?:di ?tanda ?tangani|dibuat|diberikan) (?:di|setelah sampai di) (?:sana|lokasi|negara tujuan|tempat kerja)\b|\b(?:kontrak|perjanjian)(?: kerja)? nanti (?:di|setelah sampai di) (?:sana|lokasi|negara tujuan|tempat kerja)\b`,
      String.raw`\bcontract\b${CLEAN}{0,30}\b(?:signed|given|provided|issued)\b${CLEAN}{0,20}\b(?:after|upon|on) (?:arrival|arriving|you arrive)\b|\bsign (?:the |your )?contract (?:after|upon|on) (?:arrival|arriving)\b`,
    ],
  },
  {
    id: 'no_experience',
    advice: [],
    weight: 0.7,
    abroadBoost: 1.6,
    patterns: [
      String.raw`\b(?:tanpa|tidak (?:perlu|butuh|wajib|harus|dibutuhkan|diperlukan|ada syarat)|bebas|tidak usah|gak usah) (?:ada |punya )?(?:pengalaman|ijazah|skill|keahlian|keterampilan|kemampuan bahasa|bahasa inggris|syarat(?: khusus| apapun| rumit)?|pendidikan|tes|interview|wawancara|seleksi|cv|lamaran|sertifikat(?: bahasa)?|jlpt|jft|topik|ujian bahasa)\b`,
      String.raw`\b(?:pengalaman|ijazah|skill|pendidikan|bahasa inggris) (?:tidak|tak) (?:perlu|penting|dibutuhkan|diperlukan|wajib|masalah|jadi masalah)\b`,
      String.raw`\b(?:no|zero|without|don'?t need|do not need|no need for|no need) (?:any )?(?:prior |previous |work |special )?(?:experience|skills?|qualifications?|degree|english|interview|cv|resume|education|diploma|certificates?|jlpt|jft|topik|language test|japanese(?: language)? test|korean(?: language)? test|test)\b(?! (?:is )?(?:an? )?(?:plus|advantage))`,
      String.raw`\b(?:experience|qualifications?|skills?|degree|english) (?:is |are )?(?:not (?:required|needed|necessary|important)|unnecessary)\b`,
      String.raw`\b(?:lulusan |tamatan |ijazah )?(?:sd|smp)(?: \/ ?smp| atau smp| smp)? (?:bisa|boleh|diterima|ok|oke|masuk|bisa daftar|dipersilakan)\b|\bsemua lulusan\b|\bsegala lulusan\b|\bsemua jenjang pendidikan\b`,
      String.raw`\b(?:anyone|everyone|anybody) can (?:apply|join|do (?:it|this))\b`,
      String.raw`\b(?:bisa|asal|cukup|hanya perlu|modal) (?:bisa )?(?:baca tulis|main hp|pegang hp|pakai hp|modal hp|punya hp|mengetik)\b|\basal (?:mau|niat|jujur|rajin|sehat) (?:kerja|bekerja)\b`,
      String.raw`\b(?:kerja|pekerjaan|kerjanya|pekerjaannya) (?:santai|ringan|mudah|gampang|simple)\b|\b(?:easy|simple|light) (?:job|work|tasks?|money)\b`,
    ],
  },
  // ------------------------------------------------------------ the body on camera
  {
    // A "recruiter" asking for a video or photo that shows the body (belly, shoulders, chest, thighs) or
    // in revealing clothes (a tank top, underwear, nothing): fake accounts used PT KAI's name for such an
    // "online interview" and "physical check" (data/checker-facts.yaml: body_on_camera). No selection
    // needs it. A full-body photo ("foto seluruh badan", asked for by some genuine ads) is not this:
    // only named parts or clothes.
    id: 'body_exposure',
    advice: ['never_send_body_video'],
    weight: 2.5,
    negatable: true,
    patterns: [
      String.raw`\b(?:video|vidio|videocall|foto|photo|photos|picture|pictures|selfie|rekam(?:an)?|record(?:ing)?)\b[\s\S]{0,160}?\b(?:memperlihatkan|perlihatkan|diperlihatkan|menunjukkan|tunjukkan|ditunjukkan|kelihatan|terlihat|tampak|menampilkan|showing|show|shows|reveal(?:ing|s)?)\b(?: \w+){0,3} (?:pundak|bahu|perut|dada|paha|pinggang|pinggul|bokong|pantat|payudara|ketiak|bagian tubuh|lekuk tubuh|belly|stomach|tummy|chest|breasts?|thighs?|shoulders?|waist|hips|buttocks|cleavage)\b`,
      String.raw`\b(?:memperlihatkan|perlihatkan|menunjukkan|tunjukkan|show|showing)\b(?: \w+){0,3} (?:pundak|bahu|perut|dada|paha|pinggang|pinggul|bokong|pantat|payudara|ketiak|bagian tubuh|lekuk tubuh|belly|stomach|tummy|chest|breasts?|thighs?|shoulders?|waist|hips|buttocks|cleavage)\b[\s\S]{0,160}?\b(?:video|vidio|foto|photo|photos|picture|pictures|selfie|vc|video ?call)\b`,
      String.raw`\b(?:video|vidio|videocall|foto|photo|photos|picture|pictures|selfie)\b[\s\S]{0,160}?\b(?:pakai|memakai|mengenakan|hanya|cuma|wearing|in (?:a|your|only)|only)\b(?: \w+){0,2} (?:tank ?top|pakaian dalam|celana dalam|bh|bra|bikini|lingerie|underwear|swimsuit|baju renang)\b|\b(?:tanpa (?:baju|busana|pakaian)|telanjang|bugil|naked|nude|topless)\b[\s\S]{0,80}?\b(?:video|vidio|foto|photo|photos|picture|pictures|selfie|vc|video ?call)\b|\b(?:video|vidio|videocall|foto|photo|photos|picture|pictures|selfie)\b[\s\S]{0,80}?\b(?:tanpa (?:baju|busana|pakaian)|telanjang|bugil|naked|nude|topless)\b`,
    ],
  },
  // ------------------------------------------------------------ hiring promised
  {
    // Being hired (or leaving) promised before any selection: "dijamin diterima", "100% lolos", "jaminan
    // 100%", "langsung diterima tanpa tes". A real employer or agency selects (data/checker-facts.yaml:
    // no_selection). "Bisa langsung kerja" (can start at once) is not it.
    id: 'guaranteed_hire',
    advice: ['take_your_time'],
    weight: 1.2,
    negatable: true,
    patterns: [
      String.raw`\b(?:dijamin|pasti|100 ?%|seratus persen) (?:akan )?(?:diterima|lolos|lulus|berangkat|diberangkatkan|dipekerjakan|langsung kerja)\b|\bjaminan (?:100 ?%|(?:pasti|diterima|lolos|kerja|berangkat)\b)`,
      String.raw`\blangsung diterima\b(?: \w+){0,2} (?:tanpa|no) (?:tes|test|seleksi|interview|wawancara)\b|\btanpa (?:tes|test|seleksi|interview|wawancara)(?: \w+){0,2} langsung (?:diterima|kerja|berangkat)\b`,
      String.raw`\bguaranteed (?:job|jobs|placement|employment|hiring|acceptance|approval|visa and job)\b|\b(?:job|placement|employment|hiring) (?:is )?(?:100 ?% )?guaranteed\b|\b100 ?% (?:hired|placement|guaranteed)\b`,
    ],
  },
  // ------------------------------------------------------------ urgency
  {
    id: 'urgency',
    advice: ['take_your_time'],
    weight: 0.6,
    patterns: [
      String.raw`\b(?:berangkat|terbang|flight|fly|depart|departure|leave|langsung kerja) (?:minggu|pekan|bulan|week|this|next) (?:ini|depan|week|month)\b`,
      String.raw`\b(?:berangkat|terbang|fly|depart|leave|start work) (?:dalam|within|in) (?:\d+|satu|dua|tiga|1-2|2-3) (?:hari|minggu|days?|weeks?)\b`,
      String.raw`\b(?:proses|process|processing) (?:cepat|kilat|singkat|express|fast|quick|\d+ (?:hari|minggu|days?|weeks?))\b`,
      String.raw`\b(?:kuota|slot|seat|quota) (?:sangat )?(?:terbatas|limited|tinggal|sisa|hanya)\b|\b(?:tempat|lowongan) (?:sangat )?terbatas\b|\b(?:limited|few) (?:slots?|seats?|places|quota|positions left)\b|\bonly \d+ (?:slots?|seats?|places)\b`,
      String.raw`\bburuan\b|\bcepetan\b|\bsegera (?:daftar|hubungi|japri|chat|berangkat|ambil|amankan)\b|\bjangan sampai (?:kehabisan|ketinggalan|menyesal)\b`,
      String.raw`\b(?:urgent|urgently)\b|\bimmediate (?:start|departure|flight)\b|\bfirst come,? first serve`,
      String.raw`\blangsung (?:berangkat|terbang|diberangkatkan)\b|\btanpa (?:antri|antre|menunggu lama|nunggu lama|ribet)\b`,
    ],
  },
  // ------------------------------------------------------------ recruiting others
  {
    id: 'recruit_commission',
    advice: ['no_recruiting_for_commission'],
    weight: 1.2,
    patterns: [
      String.raw`\b(?:ajak|bawa|rekrut|cari|carikan|rekomendasikan|referensikan|refer|invite|bring|recruit)(?:kan)? (?:teman|kawan|saudara|tetangga|orang|anggota|member|friends?|others|people|relatives)\b[^\n]{0,60}\b(?:komisi|bonus|fee|dapat|dapet|uang|reward|commission|earn|\$|rp|usd|dibayar|paid)`,
      String.raw`\b(?:komisi|bonus|fee|reward|commission|upah) (?:\w+ )?(?:per|tiap|setiap|for each|for every|per each) (?:orang|kepala|anggota|member|rekrutan|referral|person|head|recruit|friend|teman)\b`,
      String.raw`\b(?:referral|refer a friend) (?:bonus|commission|fee|reward)\b|\b(?:per|tiap|setiap) kepala\b|\bper head\b`,
      String.raw`\b(?:agen|petugas|tenaga) (?:perekrut|rekrut) lapangan\b|\bfield recruiters?\b|\bcari(?:kan)? calon (?:pekerja|tkw|pmi)\b|\bfind candidates\b|\bsponsor lapangan\b`,
      String.raw`\bsponsor (?:dapat|dapet|mendapat|mendapatkan) (?:fee|komisi|bonus|uang)\b|\bfee sponsor\b|\bper kepala (?:rp|\d|usd|\$)`,
    ],
  },
  // ------------------------------------------------------------ contact channel
  {
    id: 'personal_contact_only',
    advice: ['verify_company'],
    weight: 0.4,
    patterns: [
      String.raw`\b(?:hubungi|hub|kontak|contact|chat|japri|pm|dm|inbox|text|message|minat|info|daftar|whatsapp|telegram|call|sms|wa)\b[^\n]{0,30}?(?:\+?\d[\d .-]{8,}\d|wa\.me\/\S+|t\.me\/\S+|@[a-z0-9_]{4,})`,
      String.raw`\b(?:japri|inbox)\b|\b(?:dm|pm)(?: saja| aja| only| me| ya| kak| sekarang| now)\b|\b(?:dm|pm) (?:for|untuk) (?:details|info)\b`,
      String.raw`\btelegram\b[^\n]{0,10}@\w+|\bt\.me\/\w+`,
    ],
  },
  // ------------------------------------------------------------ lawful signals
  {
    id: 'lawful_licensed_agency',
    advice: [],
    weight: -1.5,
    patterns: [
      String.raw`\bp3mi\b|\bpptkis\b|\bsip3mi\b|\bsiup3mi\b|\bsiup ?p3mi\b|\bsip2mi\b`,
      String.raw`\b(?:izin|ijin|license|licence|licensed|lisensi)(?: usaha)?(?: p3mi| resmi| penempatan)? (?:no|nomor|number|nomer)\b`,
      String.raw`\bterdaftar (?:resmi )?(?:di|pada|dalam) (?:bp2mi|kp2mi|kemnaker|kementerian|siskop2mi|disnaker)\b|\bregistered (?:with|at|by) (?:bp2mi|kp2mi|the ministry|kemnaker)\b`,
      String.raw`\blicensed (?:by|placement|recruitment|manpower|agency)\b|\b(?:kep|kep\.|skep)[ .-]?\d+\/`,
    ],
  },
  {
    id: 'lawful_job_order',
    advice: [],
    weight: -1.0,
    patterns: [
      String.raw`\bjob ?order\b|\bdemand letter\b|\bsurat (?:izin|ijin) perekrutan\b|\bsipmi\b|\b(?:sip|jo) (?:no|nomor|resmi|terverifikasi)\b|\bsurat permintaan (?:tenaga kerja|pekerja)\b`,
    ],
  },
  {
    id: 'lawful_written_contract',
    advice: [],
    weight: -0.8,
    // signed only once there: the opposite (contract_on_arrival)
    cancelAfter: String.raw`^[^.\n]{0,25}\b(?:setelah|sesudah|begitu|after|upon|on) (?:sampai|tiba|datang|arrival|arriving|you arrive|di lokasi|di sana|disana)\b`,
    patterns: [
      String.raw`\b(?:perjanjian|kontrak) (?:kerja|penempatan)(?: \w+)? (?:tertulis|ditandatangani|resmi|di tanda tangan|ditanda tangani|sebelum berangkat|di indonesia)\b|\btanda ?tangan (?:perjanjian|kontrak)\b|\bperjanjian penempatan\b`,
      String.raw`\b(?:signed|written) (?:employment |work )?contract\b|\bemployment contract (?:signed|reviewed|in (?:indonesian|bahasa))\b|\bcontract (?:is )?signed (?:in indonesia|before departure)\b`,
    ],
  },
  {
    id: 'lawful_g2g',
    advice: [],
    weight: -2.0,
    patterns: [
      String.raw`\bg ?to ?g\b|\bgovernment[- ]to[- ]government\b|\beps[- ]?topik\b|\beps korea\b|\bprogram eps\b|\bhrd korea\b|\bim japan\b|\btokutei ginou\b|\bspecified skilled worker\b|\bssw\b|\bjft[- ]basic\b|\bprometric\b|\bjapan foundation\b|\bsistem penempatan satu kanal\b|\bspsk\b|\bone channel (?:system|placement)\b|\bsp2t\b|\bspecial placement program to taiwan\b|\btriple win\b|\bkangoshi\b|\bkaigo(?:fukushishi)?\b|\bijepa\b|\bjpepa\b|\b(?:skema|program) penempatan pemerintah\b|\bgovernment placement\b|\bemployment permit system\b|\bpalm scheme\b|\bpacific australia labou?r mobility\b|\bseasonal agricultural workers? program(?:me)?\b|\bbilateral labou?r agreement\b`,
    ],
  },
  {
    id: 'lawful_official_training',
    advice: [],
    weight: -0.8,
    patterns: [
      String.raw`\b(?:orientasi|pelatihan|pembekalan) (?:pra|sebelum) ?(?:pemberangkatan|penempatan|keberangkatan|berangkat|kerja)\b|\bopp\b|\bpre-?departure (?:orientation|training)\b`,
      String.raw`\b(?:medical|pemeriksaan kesehatan|cek kesehatan|mcu)[^.\n]{0,30}\b(?:sarana kesehatan|klinik|rumah sakit|hospital|clinic)[^.\n]{0,15}(?:resmi|terdaftar|ditunjuk|accredited|approved|official)\b`,
      String.raw`\bblk(?:ln)?\b|\blpk (?:terdaftar|resmi|berizin)\b|\bltsa\b|\blayanan terpadu satu atap\b|\bdisnaker\b|\bdinas tenaga kerja\b|\bsiskop2mi\b|\bbnsp\b|\bsertifikat kompetensi\b`,
    ],
  },
  {
    id: 'lawful_work_permit',
    advice: [],
    weight: -1.0,
    cancelAfter: String.raw`^[^.\n]{0,20}\b(?:there|later|after (?:arrival|you arrive|probation)|on arrival|di sana|disana|setelah (?:sampai|tiba)|nanti|menyusul)\b`,
    patterns: [
      String.raw`\b(?:work permit|work pass|employment pass|employment visa|work visa|kitas|visa kerja|izin kerja)(?: \w+){0,3} (?:arranged|sponsored|issued|handled|processed|applied|diurus|dibuat|diproses)(?: \w+){0,3} (?:by|oleh) (?:the |our )?(?:employer|organi[sz]ation|company|school|hospital|head office|hr|pemberi kerja|perusahaan|majikan|sekolah)\b(?! (?:there|later|after))`,
      String.raw`\b(?:employment visa|work visa|visa kerja|work permit|employment pass)(?: \w+){0,4} (?:before (?:travel|departure|you travel)|sebelum (?:berangkat|keberangkatan))\b|\bwork pass (?:by|from) (?:the )?employer\b|\bemployment pass (?:sponsored|by (?:the )?employer)\b`,
    ],
  },
  {
    id: 'lawful_no_fee',
    advice: [],
    weight: -0.5,
    patterns: [
      String.raw`\b(?:tidak|tanpa|bebas|no|zero|free of|tidak ada|tak ada) (?:di)?(?:pungut|pungutan|dikenakan|dipungut|dikenai|memungut)? ?(?:biaya|fee|fees|charge|charges|pungutan|cost|costs)\b(?! admin)`,
      String.raw`\bzero (?:cost|placement fee)\b|\bbiaya (?:penempatan )?ditanggung (?:oleh )?(?:majikan|perusahaan|pemberi kerja|employer|user)\b|\b(?:paid|covered) by (?:the )?(?:employer|company)\b`,
    ],
  },
];

/** Entertainment jobs abroad (karaoke "LC", spa, hostess) */
export const ENTERTAINMENT_RE = String.raw`\bladies companion\b|\bpemandu (?:lagu|karaoke)\b|\bpurel\b|\bhostess(?:es)?\b|\blc\b|\bkaraoke\b|\bterapis (?:spa|pijat)\b|\bspa therapists?\b|\bmassage\b(?! (?:sessions?|chairs?|vouchers?|benefits?|allowance))|\bpijat\b|\bnight ?club\b|\bklub malam\b|\bdancers?\b|\bpenari\b|\bescort\b|\bteman minum\b|\bclub (?:girl|lady)\b|\bbar (?:girl|lady|hostess)\b`;

/** Scam-compound job types (counted only with a destination abroad) */
export const SCAM_JOB_RE = String.raw`\bcustomer service\b|\bcustomer support\b|\bcs online\b|\badmin (?:online|sosmed|medsos|chat)\b|\boperator (?:komputer|game|online|chat|laptop)\b|\bgame operator\b|\btyping\b|\btypist\b|\bdata entry\b|\binput data\b|\bcrypto\b|\bkripto\b|\bcryptocurrency\b|\b(?:online|digital) marketing\b|\bmarketing (?:online|digital)\b|\btelemarketing\b|\blive chat\b|\bchat(?:ting)? (?:operator|admin|job)\b|\bcasino\b|\bkasino\b|\bjudi\b|\bgambling\b|\bbetting\b|\bdepan (?:laptop|komputer)\b|\bin front of (?:a )?(?:computer|laptop)\b|\bkerja (?:laptop|komputer|online)\b|\bsales (?:online|chat)\b|\bromance\b|\btrading\b|\bforex\b|\bcopywriter\b|\btranslator\b|\bpenerjemah\b|\b(?:skrip|script)\b|\bbalas chat\b|\breply to chats\b|\bchatting\b`;

/** Route words that turn a departure town into an irregular crossing */
export const CROSSING_RE = String.raw`\bspeed ?boat\b|\bkapal (?:kecil|kayu|boat|cepat)\b|\bpompong\b|\bperahu\b|\bnyebrang\b|\bmenyeberang\b|\bmenyebrang\b|\bjalur (?:laut|darat|belakang|tikus|samping|gelap|pintas)\b|\blewat (?:darat|laut|hutan|jalur|pelabuhan|belakang)\b|\bvia\b|\btransit\b|\bdijemput\b|\bjemput\b|\bpenjemputan\b|\bby (?:boat|land|car)\b|\bcross(?:ing)? (?:the border|through|via|over)\b|\bnaik (?:kapal|mobil|van)\b|\bwill (?:meet|pick up|fetch) you\b|\bakan (?:dijemput|menjemput)\b`;

/** A journey abroad that goes on overland from where the plane lands (to a compound across a border). */
export const ONWARD_RE = String.raw`\b(?:lanjut|lanjutkan|dilanjutkan|diteruskan|continues?|continued|then)\b[^.\n]{0,15}\b(?:jalan darat|jalur darat|lewat darat|overland|by land|by road)\b`;

export const IRREGULAR_RE = String.raw`\b(?:no|without) (?:a )?passport(?: needed| required)?\b|\bno need (?:to make |for |to have )?(?:a )?passport\b|\b(?:tidak|tanpa|gak|gk|tak) (?:perlu |usah )?(?:bikin |buat |pakai |punya )?paspor\b|\bborder pass\b|\bpas lintas batas\b|\btekong\b|\bthe broker will take you\b|\boverland (?:through|via)\b|\b(?:jalan|jalur|lewat) (?:darat )?(?:dari |lewat |via )?entikong\b|\bthrough entikong\b|\bjalur (?:belakang|tikus|gelap|ilegal|illegal|samping|non ?prosedural)\b|\blewat belakang\b|\btanpa (?:cap|stempel|stamp) (?:paspor|imigrasi)\b|\bborder run\b|\bkerja kaburan\b|\btanpa paspor\b|\bwithout (?:a )?passport\b|\b(?:jalan darat|by car|by land|naik mobil|van|perahu|boat)[^.\n]{0,30}\b(?:ke|to|menuju|lewat|through) (?:perbatasan|border)\b|\b(?:sungai|river) (?:moei|mekong)\b|\bnyebrang sungai\b`;

export const ABROAD_RE = String.raw`\bluar negeri\b|\boverseas\b|\babroad\b|\bmancanegara\b|\bnegara tujuan\b|\bwork visa\b|\bvisa kerja\b|\bpekerja migran\b|\bmigrant workers?\b|\bberangkat ke\b|\bterbang ke\b`;

/** Middle-East domestic work via the one official channel is not flagged for the moratorium. */
export const ONE_CHANNEL_RE = String.raw`\bsistem penempatan satu kanal\b|\bspsk\b|\bsatu kanal\b|\bone channel\b`;

export const FISHING_DEBT_RE = String.raw`\bkasbon\b|\bhutang\b|\butang\b|\bpinjaman\b|\bdebt\b|\bloan\b|\bjaminan\b|\bpotong(?:an)? gaji\b|\bdipotong\b|\bdeduct|\bgaji (?:dibayar|ditahan) (?:di )?(?:akhir|setelah)|\bpaid at the end\b|\bsalary (?:held|withheld)\b|\bbiaya\b|\bfee\b|\bdeposit\b`;

/** An internship in Japan (IM Japan's scheme, "magang ke Jepang"): going abroad, where "magang" alone may be at home. */
export const JAPAN_INTERNSHIP_RE = String.raw`\bmagang(?:an)? (?:ke |di )?jepang\b|\bim ?m? japan\b`;

/** Words of a job offer (used to tell offers from other messages). */
export const OFFER_WORDS_RE = String.raw`\blowongan\b|\bkerja\b|\bbekerja\b|\bpekerja\b|\bpekerjaan\b|\bgaji\b|\bupah\b|\bkaryawan\b|\bposisi\b|\bdibutuhkan\b|\bdicari\b|\brekrut\w*\b|\brekruitmen\b|\bpenempatan\b|\bberangkat\b|\bvacanc\w*\b|\bhiring\b|\bjobs?\b|\bsalary\b|\bposition\b|\bapply\b|\bcareer\b|\bemployment\b|\bwork\b|\brecruit\w*\b|\bmelamar\b|\bpelamar\b|\blamaran\b|\bkandidat\b|\bcandidate\w*\b|\bstaff\b|\bopening\b|\bwanted\b|\bneeded\b|\bmajikan\b|\bemployer\b|\bpekerja migran\b|\bpabrik\b|\bfactory\b|\bcv\b|\bresume\b|\bmanager\b|\brequirements?\b|\bkualifikasi\b|\bqualifications?\b|\bkarir\b|\bkarier\b|\bexperience\b|\bpengalaman\b|\bdicari\b|\blulusan\b|\bfull-?time\b|\bpart-?time\b|\bloker\b|\blowker\b|\bhiring\b|\bwfh\b|\bremote\b|\blearnerships?\b|\binternships?\b|\bapprenticeships?\b|\bmagang\b|\boffer letters?\b|\bsurat penawaran kerja\b`;

/** The offer asks for experience or qualifications (genuine ads usually do; lures say "no experience"). */
export const REQUIRES_EXPERIENCE_RE = String.raw`\b(?:pengalaman|berpengalaman) (?:min(?:imal)?\.? ?|minimum |kerja )?\d|\b(?:min(?:imal)?\.?|minimum) (?:\d+ (?:tahun|thn|bulan) )?pengalaman\b|\b\d+\+? (?:years?|yrs?)'?(?: of)? (?:\w+ ){0,3}experience\b|\bexperience (?:required|of \d|\d)|\bat least \d+ (?:years?|months?)\b|\b(?:str|sim [ab]\d?|sertifikat|certificate|licen[cs]e|degree|s1|d3|diploma)\b`;
