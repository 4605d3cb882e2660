// What an offer names as its agency. The company names and licence numbers are made up.
import { describe, expect, it } from 'vitest';
import { agencyMentions } from '../../src/checker/agency-mentions.js';

describe('the agency an offer names', () => {
  it('finds "PT <Name>" in an offer in capitals, and the licence number after "SIP3MI No.", ending both where the offer goes on', () => {
    const offer =
      'PT. CONTOH KARYA MANDIRI MEMBUKA LOWONGAN KERJA KE TAIWAN 🇹🇼\nCaregiver / perawat lansia, gaji 25jt\nSIP3MI No. KEP. 123 TAHUN 2020\nHubungi 0812 3456 7890';
    expect(agencyMentions(offer)).toEqual({ names: ['PT CONTOH KARYA MANDIRI'], licences: ['KEP. 123 TAHUN 2020'] });
  });

  it('finds a name ended by a comma and a licence number after "Izin No.", without the address that follows', () => {
    const offer = 'Kami dari PT Contoh Sinar Jaya, perusahaan penempatan resmi. Izin No. KEP.45/MEN/2015 Alamat: Jl. Contoh Raya No. 5';
    expect(agencyMentions(offer)).toEqual({ names: ['PT Contoh Sinar Jaya'], licences: ['KEP.45/MEN/2015'] });
  });

  it('reads "PT.NAME" without a space, a hyphenated name, and a number in brackets after "Izin:"', () => {
    const offer = 'Dibutuhkan pekerja pabrik Malaysia melalui P3MI PT.CONTOH-JAYA SENTOSA (Izin: B.3/3386/PK.02.02/XII/2019), tanpa potongan gaji.';
    expect(agencyMentions(offer)).toEqual({ names: ['PT CONTOH-JAYA SENTOSA'], licences: ['B.3/3386/PK.02.02/XII/2019'] });
  });

  it('keeps "Tenaga Kerja" in a name, and up to six words of it', () => {
    const offer = 'Licensed agency PT Contoh Tenaga Kerja Indonesia Sejahtera Makmur Abadi is hiring factory workers for Japan. License no: 12/2019/LN';
    expect(agencyMentions(offer)).toEqual({ names: ['PT Contoh Tenaga Kerja Indonesia Sejahtera Makmur'], licences: ['12/2019/LN'] });
  });

  it('leaves out "(Persero) Tbk" and a country written after the name', () => {
    expect(agencyMentions('PT Contoh Niaga (Persero) Tbk membuka rekrutmen bersama').names).toEqual(['PT Contoh Niaga']);
    expect(agencyMentions('INFO LOKER PT CONTOH ABADI TAIWAN GAJI 30JT').names).toEqual(['PT CONTOH ABADI']);
  });

  it('finds every company an offer names, each once, and licence numbers written with spaces around the slashes', () => {
    const offer = 'PT Contoh Penempatan Satu bekerja sama dengan PT Contoh Penempatan Dua. Info: PT Contoh Penempatan Satu.\nNomor Izin : KEP 45 / MEN / 2015, SIUP3MI no 2/1234/HK.01.01/I/2022';
    expect(agencyMentions(offer)).toEqual({ names: ['PT Contoh Penempatan Satu', 'PT Contoh Penempatan Dua'], licences: ['KEP 45/MEN/2015', '2/1234/HK.01.01/I/2022'] });
  });

  it('does not take "PT" for part-time, nor a work permit or an authority for a licence number', () => {
    expect(agencyMentions('Loker PT admin online, kerja paruh waktu dari rumah, gaji 300rb/hari')).toEqual({ names: [], licences: [] });
    expect(agencyMentions('kerja pt/ft bisa dari hp, daftar sekarang')).toEqual({ names: [], licences: [] });
    expect(agencyMentions('Lowongan PT Admin Online 🔥 komisi harian')).toEqual({ names: [], licences: [] });
    expect(agencyMentions('Izin kerja 2 tahun, izin tinggal diurus agen. Berizin resmi BP2MI. Izin resmi BP2MI.')).toEqual({ names: [], licences: [] });
  });

  it('does not take a phone number after a licence number for part of it', () => {
    expect(agencyMentions('SIP3MI: KEP.77/2021 0812 3456 7890 (WA)').licences).toEqual(['KEP.77/2021']);
  });

  it('finds nothing in an offer that names no company', () => {
    expect(agencyMentions('LOWONGAN CS ONLINE KAMBOJA gaji 15jt/bulan, tanpa pengalaman. Minat? WA 0812-3456-7890')).toEqual({ names: [], licences: [] });
    expect(agencyMentions('')).toEqual({ names: [], licences: [] });
  });
});
