// The imported list of licensed placement agencies on real Redis, each test file under its own prefix.
// Every agency here is made up (test/agencies/sample.ts).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { editDistance, normaliseLicence, normaliseName } from '../../src/agencies/names.js';
import { AgencyRegistry, parseAgencyList, wibDate } from '../../src/agencies/registry.js';
import { keyspace } from '../../src/store/keys.js';
import { connectRedis } from '../../src/store/redis.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { LIST_DATE, SAMPLE_CSV } from './sample.js';

/** A fixed moment: 2026-03-02 09:00 in Jakarta. No test reads the clock. */
const NOW = Date.UTC(2026, 2, 2, 2, 0);

describe('the list of licensed agencies', () => {
  let redis: Redis;
  let prefix: string;
  const prefixes: string[] = [];
  let registry: AgencyRegistry;
  const fresh = () => new AgencyRegistry(redis, keyspace(prefix));

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
  });
  beforeEach(async () => {
    prefix = testPrefix('agencies-registry');
    prefixes.push(prefix);
    registry = fresh();
  });
  afterAll(async () => {
    for (const p of prefixes) await dropPrefix(redis, p);
    redis.disconnect();
  });

  it('with no list imported, says nothing either way: no date, no agencies, no lookups', async () => {
    expect(await registry.listDate()).toBeNull();
    expect(await registry.count()).toBe(0);
    expect(await registry.lookup({ name: 'PT Contoh Penempatan Satu' }, NOW)).toBeNull();
    expect(await registry.check({ names: ['PT Contoh Penempatan Satu'], licences: [] }, NOW)).toBeNull();
  });

  it('imports a small sample: every row, with the date of the list given', async () => {
    const r = await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    expect(r).toEqual({ imported: 4, refused: [], listDate: LIST_DATE, replaced: true, previous: null });
    expect(await registry.listDate()).toBe(LIST_DATE);
    expect(await registry.count()).toBe(4);
    const found = await registry.lookup({ name: 'PT Contoh Penempatan Satu' }, NOW);
    expect(found).toMatchObject({
      found: true,
      how: 'name',
      exact: true,
      listDate: LIST_DATE,
      agency: { name: 'PT Contoh Penempatan Satu', licence: 'UJI-001/TEST/2025', address: 'Jl. Contoh No. 1, Kota Contoh (data uji)', validUntil: '2030-12-31', province: 'Jawa Contoh', expired: false },
    });
    // The writing aside is gone once the list is in place.
    expect(await redis.keys(`${prefix}:{agencies}:staging:*`)).toEqual([]);
  });

  it('takes the date of the list to be today in Jakarta when none is given', async () => {
    const lateEvening = Date.UTC(2026, 2, 2, 18, 0); // 01:00 on 3 March in Jakarta
    const r = await registry.importCsv(SAMPLE_CSV, { now: lateEvening });
    expect(r.listDate).toBe('2026-03-03');
    expect(wibDate(lateEvening)).toBe('2026-03-03');
  });

  it('names each refused row by its line and why, and then changes nothing', async () => {
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    const csv = [
      'Name,Licence Number,Address,Valid Until', // header names as a spreadsheet writes them
      'PT Contoh Baik Satu,UJI-101/TEST/2025,"Jl. Contoh No. 5,\nKota Contoh (data uji)",2030-01-01', // lines 2-3: a line break in a quoted cell
      'PT Contoh Tanpa Izin,,Jl. Contoh (data uji),2030-01-01',
      'PT Contoh Tanggal,UJI-103/TEST/2025,Jl. Contoh (data uji),31/12/2030',
      'PT Contoh Huruf,UJI-TANPA-ANGKA,Jl. Contoh (data uji),',
      ',UJI-105/TEST/2025,Jl. Contoh (data uji),',
      'PT Contoh Ganda,uji-101 / test / 2025,Jl. Contoh (data uji),', // the licence of line 2, spaced
      'PT,UJI-107/TEST/2025,Jl. Contoh (data uji),',
      'PT Contoh Bulan,UJI-108/TEST/2025,Jl. Contoh (data uji),2030-02-30',
      'PT Contoh Koma,UJI-109/TEST/2025,Jl. Contoh, Kota Contoh,2030-01-01',
      '',
      ',,,',
    ].join('\r\n');
    const r = await registry.importCsv(csv, { date: '2026-03-02', now: NOW });
    expect(r.refused).toEqual([
      { line: 4, reason: 'no licence number' },
      { line: 5, reason: 'valid_until "31/12/2030" is not a date written YYYY-MM-DD (or empty)' },
      { line: 6, reason: 'the licence number "UJI-TANPA-ANGKA" has no digit' },
      { line: 7, reason: 'no name' },
      { line: 8, reason: 'the licence number "uji-101 / test / 2025" is already on line 2' },
      { line: 9, reason: 'the name "PT" is only a company form' },
      { line: 10, reason: 'valid_until "2030-02-30" is not a date written YYYY-MM-DD (or empty)' },
      { line: 11, reason: '5 cells where the header has 4 (a comma in a cell needs the cell in double quotes)' },
    ]);
    expect(r).toMatchObject({ imported: 0, replaced: false, previous: { date: LIST_DATE, count: 4 } });
    expect(await registry.listDate()).toBe(LIST_DATE);
    expect((await registry.lookup({ name: 'PT Contoh Baik Satu' }, NOW))!.found).toBe(false);
  });

  it('imports the rows that are right when asked to (partial), the refused ones listed', async () => {
    const csv = ['name,licence_number,address,valid_until', 'PT Contoh Baik Dua,UJI-201/TEST/2025,"Jl. Contoh, Kota Contoh (data uji)",', 'PT Contoh Tanpa Izin,,Jl. Contoh (data uji),'].join('\n');
    const r = await registry.importCsv(csv, { date: LIST_DATE, partial: true, now: NOW });
    expect(r).toMatchObject({ imported: 1, replaced: true, refused: [{ line: 3, reason: 'no licence number' }] });
    expect((await registry.lookup({ name: 'PT Contoh Baik Dua' }, NOW))!.found).toBe(true);
  });

  it('refuses a file without the columns, a file without agencies, and a list dated wrongly or in the future', async () => {
    const noColumn = await registry.importCsv('name,licence_number,address\nPT Contoh,UJI-1/2025,Jl. Contoh', { date: LIST_DATE, partial: true, now: NOW });
    expect(noColumn.refused).toEqual([{ line: 1, reason: 'the header lacks valid_until (columns: name,licence_number,address,valid_until[,province])' }]);
    const empty = await registry.importCsv('name,licence_number,address,valid_until\n', { date: LIST_DATE, partial: true, now: NOW });
    expect(empty.refused).toEqual([{ line: 1, reason: 'no agency below the header' }]);
    expect((await registry.importCsv(SAMPLE_CSV, { date: '01-03-2026', now: NOW })).refused[0]!.reason).toBe('the list\'s date "01-03-2026" is not a date written YYYY-MM-DD');
    expect((await registry.importCsv(SAMPLE_CSV, { date: '2026-03-10', now: NOW })).refused[0]!.reason).toBe('the list\'s date 2026-03-10 is in the future');
    expect(await registry.listDate()).toBeNull();
  });

  it('reads a list a spreadsheet set to Indonesian wrote: semicolons, a byte-order mark', () => {
    const csv = '\uFEFFname;licence_number;address;valid_until\r\nPT Contoh Titik Koma;UJI-301/TEST/2025;Jl. Contoh, Kota Contoh (data uji);2030-01-01\r\n';
    expect(parseAgencyList(csv)).toEqual({
      agencies: [{ name: 'PT Contoh Titik Koma', licence: 'UJI-301/TEST/2025', address: 'Jl. Contoh, Kota Contoh (data uji)', validUntil: '2030-01-01', province: null }],
      refused: [],
    });
  });

  it('an import replaces the whole list: agencies only on the old list are no longer found, and every process sees the new list at its next lookup', async () => {
    const other = fresh(); // another process, which read the old list
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    expect((await other.lookup({ name: 'PT Contoh Penempatan Satu' }, NOW))!.found).toBe(true);
    const newer = ['name,licence_number,address,valid_until', 'PT Contoh Daftar Baru,UJI-401/TEST/2026,Jl. Contoh (data uji),2031-01-01'].join('\n');
    const r = await registry.importCsv(newer, { date: '2026-03-02', now: NOW });
    expect(r).toMatchObject({ imported: 1, replaced: true, previous: { date: LIST_DATE, count: 4 } });
    expect(await registry.count()).toBe(1);
    const gone = await other.lookup({ name: 'PT Contoh Penempatan Satu' }, NOW);
    expect(gone).toMatchObject({ found: false, listDate: '2026-03-02' });
    expect((await other.lookup({ licence: 'UJI-001/TEST/2025' }, NOW))!.found).toBe(false);
    expect((await other.lookup({ name: 'PT Contoh Daftar Baru' }, NOW))!.found).toBe(true);
  });

  it('a lookup during an import sees the old list or the new one whole, never a mix or an empty list', async () => {
    const listA = ['name,licence_number,address,valid_until', ...Array.from({ length: 1200 }, (_, i) => `PT Contoh Lama ${i},UJI-A${i}/TEST,Jl. Contoh (data uji),`)].join('\n');
    const listB = ['name,licence_number,address,valid_until', ...Array.from({ length: 1200 }, (_, i) => `PT Contoh Baru ${i},UJI-B${i}/TEST,Jl. Contoh (data uji),`)].join('\n');
    await registry.importCsv(listA, { date: '2026-02-01', now: NOW });
    const reader = fresh();
    let importing = true;
    const seen: string[] = [];
    const reading = (async () => {
      while (importing) {
        const c = (await reader.check({ names: ['PT Contoh Lama 7', 'PT Contoh Baru 7'], licences: ['UJI-A1199/TEST', 'UJI-B1199/TEST'] }, NOW))!;
        seen.push(`${c.listDate}:${[...c.names, ...c.licences].map((x) => (x.result.found ? 1 : 0)).join('')}`);
      }
    })();
    for (let i = 0; i < 4; i++) {
      await registry.importCsv(i % 2 ? listA : listB, { date: i % 2 ? '2026-02-01' : '2026-03-01', now: NOW });
      await new Promise((r) => setTimeout(r, 5));
    }
    importing = false;
    await reading;
    expect(new Set(seen)).toEqual(new Set(seen.filter((s) => s === '2026-02-01:1010' || s === '2026-03-01:0101')));
    expect(seen.length).toBeGreaterThan(0);
  });

  it('finds a name written with a typo, with "PT." or without, in capitals, with the words in another order; says when it is not written exactly so', async () => {
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    const name = async (n: string) => {
      const r = (await registry.lookup({ name: n }, NOW))!;
      return r.found ? { name: r.agency.name, how: r.how, exact: r.exact } : { nearest: r.nearest?.name ?? null };
    };
    expect(await name('PT. CONTOH PENEMPATAN SATU')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: true });
    expect(await name('contoh penempatan satu')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: true });
    expect(await name('P.T. Contoh-Penempatan  Satu (Persero) Tbk')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: true });
    // "CONTOH KARYA ABADI, PT" on the list: the company form written after the name.
    expect(await name('PT Contoh Karya Abadi')).toEqual({ name: 'CONTOH KARYA ABADI, PT', how: 'name', exact: true });
    expect(await name('PT Contoh Penempatn Satu')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: false });
    expect(await name('PT Contho Penempatan Sat')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: false });
    expect(await name('PT Contoh Satu Penempatan')).toEqual({ name: 'PT Contoh Penempatan Satu', how: 'name', exact: false });
    // Three letters apart is another name; the list's name is offered as a similar one.
    expect(await name('PT Contoh Penempatan Sat Jaya')).toEqual({ nearest: 'PT Contoh Penempatan Satu' });
    expect(await name('PT Kontoh Penempatn Satoe')).toEqual({ nearest: 'PT Contoh Penempatan Satu' });
    // A short name must be exact: "Uji Abd" is not "Uji Abc".
    expect(await name('PT Uji Abc')).toEqual({ name: 'PT Uji Abc', how: 'name', exact: true });
    expect(await name('PT Uji Abd')).toEqual({ nearest: 'PT Uji Abc' });
    expect(await name('PT Sama Sekali Lain')).toEqual({ nearest: null });
  });

  it('two names on the list equally close to the one asked for: neither is taken for it', async () => {
    const csv = ['name,licence_number,address,valid_until', 'PT Contoh Makmur Sari,UJI-501/TEST,Jl. Contoh (data uji),', 'PT Contoh Makmur Saro,UJI-502/TEST,Jl. Contoh (data uji),'].join('\n');
    await registry.importCsv(csv, { date: LIST_DATE, now: NOW });
    const r = (await registry.lookup({ name: 'PT Contoh Makmur Sar' }, NOW))!;
    expect(r.found).toBe(false);
    expect((await registry.lookup({ name: 'PT Contoh Makmur Sari' }, NOW))!.found).toBe(true);
  });

  it('finds a licence number only when it is the same, spaces and case aside; a licence found wins over the name asked with it', async () => {
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    const licence = async (l: string, name?: string) => {
      const r = (await registry.lookup({ licence: l, name }, NOW))!;
      return r.found ? `${r.how}:${r.agency.name}` : 'no';
    };
    expect(await licence('UJI-001/TEST/2025')).toBe('licence:PT Contoh Penempatan Satu');
    expect(await licence('uji-001 / test / 2025')).toBe('licence:PT Contoh Penempatan Satu');
    expect(await licence('UJI.002 Tahun 2024')).toBe('licence:PT. CONTOH MIGRAN SEJAHTERA');
    expect(await licence('UJI-001/TEST/2026')).toBe('no');
    expect(await licence('UJI-01/TEST/2025')).toBe('no');
    expect(await licence('UJI-001/TEST/2025', 'PT Contoh Karya Abadi')).toBe('licence:PT Contoh Penempatan Satu');
    expect(await licence('UJI-999/TEST/2025', 'PT Contoh Karya Abadi')).toBe('name:CONTOH KARYA ABADI, PT');
  });

  it('marks a licence expired after its last valid day in Jakarta, not on it; one without a date never expires', async () => {
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    const expired = async (now: number, name = 'PT Contoh Migran Sejahtera') => {
      const r = (await registry.lookup({ name }, now))!;
      return r.found && r.agency.expired;
    };
    // Valid until 2025-01-31.
    expect(await expired(Date.UTC(2025, 0, 31, 16, 59))).toBe(false); // 23:59 on the 31st in Jakarta
    expect(await expired(Date.UTC(2025, 0, 31, 17, 0))).toBe(true); // 00:00 on 1 February in Jakarta
    expect(await expired(NOW)).toBe(true);
    expect(await expired(NOW, 'PT Contoh Penempatan Satu')).toBe(false);
    expect(await expired(Date.UTC(2040, 0, 1), 'PT Contoh Karya Abadi')).toBe(false);
  });

  it('a lookup costs one Redis command once the list is read; the list is read again only when it changed', async () => {
    await registry.importCsv(SAMPLE_CSV, { date: LIST_DATE, now: NOW });
    const reader = fresh();
    await reader.lookup({ name: 'PT Contoh Penempatan Satu' }, NOW);
    const sent = vi.spyOn(redis, 'sendCommand');
    try {
      await reader.check({ names: ['PT Contoh Penempatan Satu', 'PT Contoh Karya Abadi', 'PT Lain'], licences: ['UJI-001/TEST/2025'] }, NOW);
      expect(sent.mock.calls.map((c) => (c[0] as { name: string }).name)).toEqual(['get']);
    } finally {
      sent.mockRestore();
    }
  });

  it('normalises names and licence numbers as the matching needs', () => {
    expect(normaliseName('PT. Maju-Jaya  (Persero) Tbk.')).toBe('maju jaya');
    expect(normaliseName('MAJU JAYA, PT.')).toBe('maju jaya');
    expect(normaliseName('P.T. Maju Jaya')).toBe('maju jaya');
    expect(normaliseName('PT Ptolemy Jaya')).toBe('ptolemy jaya');
    expect(normaliseLicence(' kep. 123 /MEN/ 2020 ')).toBe('KEP.123/MEN/2020');
    expect(editDistance('penempatan', 'penempatn', 2)).toBe(1);
    expect(editDistance('contoh', 'cotnoh', 2)).toBe(1); // two neighbours swapped: one edit
    expect(editDistance('contoh satu', 'contoh tiga', 2)).toBe(3); // more than the bound: bound + 1
  });
});
