// The reference data for places and their time zones: the 38 provinces with their ISO 3166-2:ID codes
// and legal zones, every country with a zone, the checks made when the files are loaded, and the
// time-zone helpers quiet hours use.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../src/content/data.js';
import { countryTimeZone, DEFAULT_TIME_ZONE, regionTimeZone } from '../../src/content/zones.js';
import { ROOT } from '../helpers/cli.js';

const data = loadReferenceData(join(ROOT, 'data'));

/** Keputusan Presiden No. 41 Tahun 1987, by the provinces of today. */
const WIB = ['AC', 'SU', 'SB', 'RI', 'KR', 'JA', 'SS', 'BB', 'BE', 'LA', 'JK', 'JB', 'BT', 'JT', 'YO', 'JI', 'KB', 'KT'];
const WITA = ['BA', 'NB', 'NT', 'KS', 'KI', 'KU', 'SA', 'GO', 'ST', 'SR', 'SN', 'SG'];
const WIT = ['MA', 'MU', 'PA', 'PB', 'PD', 'PT', 'PE', 'PS'];

describe('data/regions.yaml', () => {
  it('lists the 38 provinces by their ISO 3166-2:ID codes, each with its Indonesian and English name', () => {
    expect(data.regions).toHaveLength(38);
    expect(data.regions.map((r) => r.code).sort()).toEqual([...WIB, ...WITA, ...WIT].sort());
    const byCode = new Map(data.regions.map((r) => [r.code, r.names]));
    expect(byCode.get('NB')!.slice(0, 3)).toEqual(['Nusa Tenggara Barat', 'West Nusa Tenggara', 'NTB']);
    expect(byCode.get('PD')!.slice(0, 2)).toEqual(['Papua Barat Daya', 'Southwest Papua']);
    for (const [code, short] of [['NT', 'NTT'], ['JI', 'Jatim'], ['JB', 'Jabar'], ['YO', 'DIY'], ['JK', 'Jakarta']] as const) expect(byCode.get(code)).toContain(short);
  });

  it('gives each province its legal time zone: WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura', () => {
    for (const code of WIB) expect(regionTimeZone(code, data), code).toBe('Asia/Jakarta');
    for (const code of WITA) expect(regionTimeZone(code, data), code).toBe('Asia/Makassar');
    for (const code of WIT) expect(regionTimeZone(code, data), code).toBe('Asia/Jayapura');
  });

  it('names its sources in the file', () => {
    const text = readFileSync(join(ROOT, 'data/regions.yaml'), 'utf8');
    expect(text).toContain('ISO 3166-2:ID');
    expect(text).toContain('Keputusan Presiden Republik Indonesia Nomor 41 Tahun 1987');
    expect(readFileSync(join(ROOT, 'data/countries.yaml'), 'utf8')).toContain('IANA tz database');
  });
});

describe('time zones for quiet hours', () => {
  it('every country people can name has its main time zone', () => {
    for (const c of data.countries) expect(countryTimeZone(c.code, data), c.code).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
    expect(countryTimeZone('MY', data)).toBe('Asia/Kuala_Lumpur');
    expect(countryTimeZone('TW', data)).toBe('Asia/Taipei');
    expect(countryTimeZone('SA', data)).toBe('Asia/Riyadh');
    expect(countryTimeZone('HK', data)).toBe('Asia/Hong_Kong');
  });

  it('reads data/ by itself when given no data, takes "ID-" codes, and knows nothing of unknown codes', () => {
    expect(regionTimeZone('NB')).toBe('Asia/Makassar');
    expect(regionTimeZone('ID-PA')).toBe('Asia/Jayapura');
    expect(regionTimeZone('nb')).toBe('Asia/Makassar');
    expect(countryTimeZone('KH')).toBe('Asia/Phnom_Penh');
    expect(regionTimeZone('XX')).toBeUndefined();
    expect(countryTimeZone('ZZ')).toBeUndefined();
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Jakarta');
  });
});

describe('loading places', () => {
  /** A copy of data/ with one file replaced; returns what loading it throws (or null). */
  function loadWith(file: string, edit: (text: string) => string): string | null {
    const dir = mkdtempSync(join(tmpdir(), 'waspada-data-'));
    try {
      cpSync(join(ROOT, 'data'), dir, { recursive: true });
      writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
      loadReferenceData(dir);
      return null;
    } catch (e) {
      return (e as Error).message;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('refuses a name that would stand for two provinces', () => {
    expect(loadWith('regions.yaml', (t) => t.replace('"Jabar", ', '"Jabar", "Madura", '))).toMatch(/regions\.yaml: the name "madura" stands for both JB and JI/);
  });

  it('refuses a province outside Indonesia’s three zones, and a zone that does not exist', () => {
    expect(loadWith('regions.yaml', (t) => t.replace('{ code: "BA", tz: "Asia/Makassar"', '{ code: "BA", tz: "Asia/Singapore"'))).toMatch(/BA: tz must be one of Asia\/Jakarta, Asia\/Makassar, Asia\/Jayapura/);
    expect(loadWith('countries.yaml', (t) => t.replace('"Asia/Taipei"', '"Asia/Taipeh"'))).toMatch(/countries\.yaml: countries\.\d+\.tz: tz must be an IANA time zone/);
  });

  it('refuses a country without a time zone, a code listed twice, and a file without its sources', () => {
    expect(loadWith('countries.yaml', (t) => t.replace('tz: "Asia/Taipei", ', ''))).toMatch(/countries\.yaml: countries\.\d+\.tz: Required/);
    expect(loadWith('regions.yaml', (t) => t.replace('{ code: "BA"', '{ code: "NB"'))).toMatch(/code "NB" appears twice/);
    expect(loadWith('regions.yaml', (t) => t.replace(/^sources:[\s\S]*?\n\n/m, ''))).toMatch(/regions\.yaml: sources:/);
  });
});
