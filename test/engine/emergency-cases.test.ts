// Realistic messages, each labelled: E = a plea (the emergency flow starts), A = a long text with a
// plea in it (alert), - = no emergency (requests, questions, thanks, pasted job offers).
import { describe, expect, it } from 'vitest';
import { emergencySignal, matchIntent } from '../../src/engine/intents.js';

type Exp = 'E' | '-' | 'A';
const pad = (s: string) => { let t = s; const extra = [' Mohon dibaca sampai selesai.', ' Terima kasih.', ' Semoga Tuhan memberkati.', ' Salam dari Indonesia.']; let i = 0; while (t.length <= 310) t += extra[i++ % extra.length]; return t; };
const cases: [Exp, string][] = [
  // --- short real pleas (should be E)
  ['E', 'tolong'], ['E', 'tolong saya disekap majikan'], ['E', 'kak tolong saya'], ['E', 'paspor saya ditahan majikan, tolong'],
  ['E', 'tolongin saya'], ['E', 'tolongin aku kak'], ['E', 'tlg saya'], ['E', 'tulung'],
  ['E', 'tolong hubungi polisi, saya dikurung'], ['E', 'tolong kirim bantuan, saya disekap'],
  ['E', 'please call the police, I am locked in'], ['E', 'help me please'], ['E', 'Im in danger'], ['E', 'sy dlm bahaya'],
  ['E', 'bahaya!! majikan mau pukul saya'], ['E', 'saya disekap majikan'], ['E', 'majikan memukul saya, saya mau kabur'],
  // --- a family telling what happened to a relative: a passport taken, kept in (even asked as a question)
  ['E', 'My brother went to work in Malaysia last year. His boss took his passport and he cannot leave the house. What should we do?'],
  ['E', 'Suami saya di Malaysia, paspornya ditahan majikan, dia tidak bisa keluar rumah. Kami harus bagaimana?'],
  ['E', "My sister's passport was taken by the agency in Riyadh"],
  // --- the active voice and a relative's passport (a question about the rule is none)
  ['E', 'majikan menahan paspor saya'], ['E', 'paspor istri saya diambil agen'], ['E', 'my passport has been confiscated by my employer'],
  ['E', 'they have my passport'], ['-', 'apakah agen boleh menahan paspor saya?'], ['-', 'I have my passport ready'],
  ['-', 'saya mau ambil paspor saya di imigrasi'], ['-', 'Factory workers wanted in Taiwan, salary 25,000 NTD, the company holds their passports during the contract. Apply now via WhatsApp 0812-3456-7890'],
  // --- the same words about rules, or about leaving anything else, are no emergency
  ['-', 'Will the agency keep my passport during the contract?'], ['-', 'Saya tidak bisa keluar dari grup ini'],
  ['-', 'I cannot leave work early on Fridays'], ['-', 'can I take my passport to the interview?'],
  // --- a short offer or a rule that keeps workers in is an offer to check, and a rainy day is no emergency
  ['-', 'Dicari ART ke Malaysia, gaji 6 juta, tidak bisa keluar rumah selama kontrak, paspor dipegang majikan'],
  ['-', 'Peraturan: pekerja dilarang keluar mess tanpa izin supervisor.'], ['-', 'is it normal that workers cannot leave the dorm on weekdays?'],
  ['-', 'saya tidak bisa keluar rumah hari ini karena hujan'],
  // --- the writer's own doing with their passport is no passport taken; someone else taking it still is
  ['-', 'I kept my passport in my bag'], ['-', 'I have taken my passport to the agency for the visa'], ['-', 'I took my passport to the embassy to renew it'],
  ['E', 'I think they took my passport'], ['E', 'I know my employer kept my passport'],
  // --- the passive written apart ("di tahan"), the English spelling, "sy": a passport taken all the same; a rule still none
  ['E', 'paspor saya di tahan majikan'], ['E', 'pasport sy di ambil agen'], ['E', 'passport saya ditahan majikan'], ['-', 'paspor di tahan agen selama kontrak'],
  ['E', 'I need help, my agent took my passport and I have not been paid for six months'],
  ['E', 'saya butuh bantuan segera, majikan memukul saya setiap hari'],
  ['E', 'no food for 3 days, no help from the agency, I am locked in'],
  ['E', 'S.O.S'], ['E', '🆘'], ['E', 'help!!!'], ['E', 'toloong'], ['E', 'darurat'], ['E', 'ini darurat'],
  ['E', 'my employer beats me, help'],
  ['E', 'emergency, they took my passport'],
  // --- short ordinary (should be -)
  ['-', 'tolong saya cek lowongan ini'], ['-', 'tolong bantu saya cek lowongan ini'], ['-', 'help me check this job offer'],
  ['-', 'Tolong, apakah PT Maju Jaya resmi?'], ['-', 'tolong infonya gaji di Taiwan berapa'], ['-', 'tolong min, ini asli atau penipuan?'],
  ['-', 'tolong cekkan PT ini'], ['-', 'tolong dicekin ya'], ['-', 'thanks for your help'], ['-', 'terima kasih atas bantuannya'],
  ['-', 'what is the emergency number in Malaysia?'], ['-', 'can you help me understand the contract?'],
  ['-', 'how does this bot help me?'], ['-', 'tolong dong gimana caranya daftar BP2MI'], ['-', 'bajunya bolong'],
  ['-', 'kacang polong'], ['-', 'tolong jelaskan cara cek PT'], ['-', 'help desk KBRI'], ['-', 'nomor darurat di Hongkong berapa?'],
  ['-', 'apakah lowongan ini bahaya?'], ['-', 'help wanted'], ['-', 'thank you, you helped a lot'], ['-', 'mohon bantuannya kak'],
  ['-', 'tolong terjemahkan kontrak ini'], ['-', 'tolong ajari saya cara daftar'],
  // --- long pasted job offers (should be -)
  ['-', pad('LOWONGAN KERJA MALAYSIA! Gaji 8 juta/bulan, makan & mess gratis. Tolong transfer biaya admin Rp 3.500.000 paling lambat besok ke rekening BCA 123. Pekerja yang kabur sebelum kontrak selesai akan didenda 50 juta. Hubungi Ibu Rina 0812xxxx.')],
  ['-', pad('JOB IN POLAND - factory workers. Salary 1500 EUR. Our agency will help you with visa and tickets. We do not tolerate forced labour. Workers who escape will pay a penalty. Send passport copy via WhatsApp +48 xxx. Limited places, apply today!')],
  ['-', pad('Dibutuhkan segera ART untuk Hongkong. Tolong saya carikan 10 orang, fee sponsor 2 juta per orang. Syarat: wanita 21-40, sehat. Paspor ditahan agensi selama kontrak untuk keamanan. Biaya potong gaji 7 bulan. Info lanjut WA 0813xxxx.')],
  ['-', pad('Lowongan Jepang (Tokutei Ginou). Gaji 25 man. Agensi SOS Karya Mandiri resmi terdaftar. Dokumen: KTP, KK, akta, ijazah. Biaya pelatihan 15 juta, bisa dicicil. Untuk kondisi darurat di Jepang ada layanan 24 jam. Daftar sekarang melalui WA admin.')],
  // --- long real pleas (should be A)
  ['A', pad('Selamat malam kak, saya TKW di Malaysia sudah 8 bulan. Gaji saya tidak pernah dibayar, HP saya disita majikan, saya tidak boleh keluar rumah dan makan cuma sekali sehari. Agensi tidak mau angkat telepon. Saya bingung harus bagaimana, tolong bantu saya pulang ke Indonesia.')],
  ['A', pad('Hello, I am an Indonesian domestic worker in Saudi Arabia. My employer took my passport and phone and I am not allowed to leave the house. I have not been paid for 6 months and they shout at me every day. The agency does not answer. Please help, I want to go home.')],
  ['A', pad('Kak saya mau cerita, saya kerja di kapal ikan Taiwan, kerja 20 jam sehari, kapten sering memukul kami, paspor ditahan. Teman saya sakit tidak diobati. Tolong kami kak, kami mau pulang, kami tidak tahu harus lapor ke mana.')],
  ['A', pad('Sudah 3 bulan saya dikurung di rumah majikan di Riyadh. Saya tidak tahu alamat lengkapnya. Tolong hubungi keluarga saya di Indramayu, nomor 0812xxxx, bilang saya masih hidup. Tolong hubungi KBRI juga.')],
];

describe('emergency detection on realistic messages', () => {
  it.each(cases)('%s: %s', (exp, text) => {
    const got: Exp = matchIntent(text) === 'emergency' ? 'E' : emergencySignal(text) === 'alert' ? 'A' : '-';
    expect(got).toBe(exp);
  });
});
