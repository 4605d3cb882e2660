// The official list of licensed placement agencies (P3MI), as an operator imported it, in Redis: the
// list (one hash, by licence number) and what it is (its date, version, count; one string) under one
// hash tag. An import is the official list of its date: it replaces the whole list in one atomic
// script, never adds to it. Each process keeps the list indexed in memory and reads it again when the
// version in Redis changes: a lookup costs one GET.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../store/connection.js';
import type { Keyspace } from '../store/keys.js';
import { parseCsv } from './csv.js';
import { AgencyIndex, normaliseLicence, normaliseName, type Agency } from './names.js';

export type { Agency } from './names.js';

/** The columns of an import; `province` may be there too. */
export const COLUMNS = ['name', 'licence_number', 'address', 'valid_until'] as const;
/** Also taken for `licence_number`: the American spelling. */
const ALIASES: Record<string, string> = { license_number: 'licence_number' };

export interface Refusal {
  line: number;
  reason: string;
}

export interface ImportResult {
  /** Agencies now on the list (0 when the list in place was kept). */
  imported: number;
  refused: Refusal[];
  /** The date of the list imported (or that would have been). */
  listDate: string;
  /** Whether the list in place was replaced. */
  replaced: boolean;
  /** The list it replaced, if any. */
  previous: { date: string; count: number } | null;
}

export interface ImportOptions {
  /** The date of the official list (YYYY-MM-DD); by default today (Western Indonesian time). */
  date?: string;
  /**
   * Import the rows that are right even when others are refused. By default a file with a refused
   * row changes nothing: an agency left out would be told to people as "not on the list".
   */
  partial?: boolean;
  now?: number;
}

export interface FoundAgency extends Agency {
  /** Its licence ran out before today (by the list's validity date). */
  expired: boolean;
}

export type AgencyLookup =
  | {
      found: true;
      agency: FoundAgency;
      how: 'licence' | 'name';
      /** By name: false when the name differs a little (a letter or two, the words in another order). */
      exact: boolean;
    }
  | { found: false; nearest?: Agency };

/** What the list says about everything an offer names: each name and licence number, as written. */
export interface AgencyCheck {
  listDate: string;
  names: { written: string; result: AgencyLookup }[];
  licences: { written: string; result: AgencyLookup }[];
}

export interface AgencyStatus {
  date: string;
  count: number;
  importedAt: number;
  version: string;
}

/** What the conversation asks of the list (the check-offer effect). */
export interface AgencyLookups {
  /** Null when no list was imported: then nothing can be said either way. */
  check(q: { names: readonly string[]; licences: readonly string[] }, now: number): Promise<AgencyCheck | null>;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** The date in Western Indonesia (UTC+7, no summer time) at `ms`. */
export function wibDate(ms: number): string {
  return new Date(ms + 7 * 3600_000).toISOString().slice(0, 10);
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (s: string) => s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();

/** The rows of an import: the agencies that are right, and the others with their line and reason. */
export function parseAgencyList(csv: string): { agencies: Agency[]; refused: Refusal[] } {
  const rows = parseCsv(csv);
  const refused: Refusal[] = [];
  const header = (rows[0]?.cells ?? []).map((h) => {
    const k = h.toLowerCase().replace(/[\s-]+/g, '_');
    return ALIASES[k] ?? k;
  });
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (!rows.length || missing.length) {
    refused.push({ line: 1, reason: `the header ${rows.length ? `lacks ${missing.join(', ')}` : 'is missing'} (columns: ${COLUMNS.join(',')}[,province])` });
    return { agencies: [], refused };
  }
  const at = (name: string) => header.indexOf(name);
  const agencies: Agency[] = [];
  const seen = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const refuse = (reason: string) => refused.push({ line: row.line, reason });
    if (row.cells.length > header.length) {
      refuse(`${row.cells.length} cells where the header has ${header.length} (a comma in a cell needs the cell in double quotes)`);
      continue;
    }
    const cell = (name: string) => (at(name) >= 0 ? clean(row.cells[at(name)] ?? '') : '');
    const name = cell('name');
    const licence = cell('licence_number');
    const address = cell('address');
    const validUntil = cell('valid_until');
    const province = cell('province');
    const key = normaliseLicence(licence);
    if (!name) refuse('no name');
    else if (name.length > 200) refuse('the name is longer than 200 characters');
    else if (!normaliseName(name)) refuse(`the name "${name}" is only a company form`);
    else if (!licence) refuse('no licence number');
    else if (licence.length > 100) refuse('the licence number is longer than 100 characters');
    else if (!/\d/.test(licence)) refuse(`the licence number "${licence}" has no digit`);
    else if (address.length > 500) refuse('the address is longer than 500 characters');
    else if (validUntil && !isIsoDate(validUntil)) refuse(`valid_until "${validUntil.slice(0, 30)}" is not a date written YYYY-MM-DD (or empty)`);
    else if (province.length > 80) refuse('the province is longer than 80 characters');
    else if (seen.has(key)) refuse(`the licence number "${licence}" is already on line ${seen.get(key)}`);
    else {
      seen.set(key, row.line);
      agencies.push({ name, licence, address, validUntil: validUntil || null, province: province || null });
    }
  }
  if (rows.length === 1) refused.push({ line: 1, reason: 'no agency below the header' });
  return { agencies, refused };
}

/**
 * replaceList: KEYS[1] the import written aside, KEYS[2] the list, KEYS[3] its description;
 * ARGV[1] the new description (JSON), ARGV[2] how many agencies the import holds.
 * Puts the import in place of the list, and its description with it; returns the old description.
 * An import aside that is not complete (it expired) changes nothing.
 */
const REPLACE_LIST = `
if redis.call('HLEN', KEYS[1]) ~= tonumber(ARGV[2]) then return redis.error_reply('WASPADA_INCOMPLETE the import was not written in full') end
local old = redis.call('GET', KEYS[3])
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('PERSIST', KEYS[2])
redis.call('SET', KEYS[3], ARGV[1])
return old`;

/** An import is written aside first; left by an import that died, it goes away after this. */
const STAGING_TTL_S = 3600;
/** Rows per HSET while writing an import aside. */
const CHUNK = 500;

type Scripts = { waspadaAgenciesReplace(staging: string, list: string, meta: string, desc: string, count: number): Promise<string | null> };

interface Loaded {
  status: AgencyStatus;
  index: AgencyIndex;
}

export class AgencyRegistry implements AgencyLookups {
  private readonly r: RedisClient & Scripts;
  private loaded: Loaded | null = null;
  private loading: { version: string; promise: Promise<Loaded> } | null = null;

  constructor(
    redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    redis.defineCommand('waspadaAgenciesReplace', { numberOfKeys: 3, lua: REPLACE_LIST });
    this.r = redis as RedisClient & Scripts;
  }

  /**
   * Replaces the list with the one in `csv` (columns name,licence_number,address,valid_until, and
   * optionally province; a header first). Refused rows are named by line; with any, nothing changes
   * unless `partial`. A file with no agency right never replaces the list.
   */
  async importCsv(csv: string, opts: ImportOptions = {}): Promise<ImportResult> {
    const now = opts.now ?? Date.now();
    const listDate = opts.date ?? wibDate(now);
    const { agencies, refused } = parseAgencyList(csv);
    const kept = async (): Promise<ImportResult> => {
      const s = await this.status();
      return { imported: 0, refused, listDate, replaced: false, previous: s && { date: s.date, count: s.count } };
    };
    if (!isIsoDate(listDate)) {
      refused.unshift({ line: 0, reason: `the list's date "${listDate}" is not a date written YYYY-MM-DD` });
      return kept();
    }
    if (listDate > wibDate(now + 24 * 3600_000)) {
      refused.unshift({ line: 0, reason: `the list's date ${listDate} is in the future` });
      return kept();
    }
    if (!agencies.length || (refused.length && !opts.partial)) return kept();
    const staging = this.keys.agencies.staging(randomUUID());
    const status: AgencyStatus = { date: listDate, count: agencies.length, importedAt: now, version: randomUUID() };
    const write = this.r.pipeline();
    for (let i = 0; i < agencies.length; i += CHUNK) {
      const fields = agencies.slice(i, i + CHUNK).flatMap((a) => [normaliseLicence(a.licence), JSON.stringify(a)]);
      write.hset(staging, ...fields);
    }
    write.expire(staging, STAGING_TTL_S);
    const written = await write.exec();
    const failed = written?.find(([e]) => e);
    if (failed) throw failed[0];
    const old = await this.r.waspadaAgenciesReplace(staging, this.keys.agencies.list, this.keys.agencies.meta, JSON.stringify(status), agencies.length);
    const previous = old ? (JSON.parse(old) as AgencyStatus) : null;
    return { imported: agencies.length, refused, listDate, replaced: true, previous: previous && { date: previous.date, count: previous.count } };
  }

  /** The list in place: its date and size; null when none was imported. */
  async status(): Promise<AgencyStatus | null> {
    const raw = await this.r.get(this.keys.agencies.meta);
    return raw ? (JSON.parse(raw) as AgencyStatus) : null;
  }

  async listDate(): Promise<string | null> {
    return (await this.status())?.date ?? null;
  }

  async count(): Promise<number> {
    return (await this.status())?.count ?? 0;
  }

  /** The list indexed: read from Redis again only when its version changed (one GET otherwise). */
  private async current(): Promise<Loaded | null> {
    const status = await this.status();
    if (!status) {
      this.loaded = null;
      return null;
    }
    if (this.loaded?.status.version === status.version) return this.loaded;
    if (this.loading?.version !== status.version) {
      const promise = this.load().finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { version: status.version, promise };
    }
    return this.loading!.promise;
  }

  /** The list and its description read together (one transaction: they always belong together). */
  private async load(): Promise<Loaded> {
    const r = await this.r.multi().get(this.keys.agencies.meta).hgetall(this.keys.agencies.list).exec();
    const [metaErr, meta] = r?.[0] ?? [new Error('the transaction was aborted')];
    const [listErr, list] = r?.[1] ?? [new Error('the transaction was aborted')];
    if (metaErr || listErr) throw metaErr ?? listErr;
    const status = JSON.parse(meta as string) as AgencyStatus;
    const index = new AgencyIndex(Object.values(list as Record<string, string>).map((v) => JSON.parse(v) as Agency));
    const loaded = { status, index };
    this.loaded = loaded;
    return loaded;
  }

  /** One name or licence number (the licence first when both are given); null when no list was imported. */
  async lookup(q: { name?: string; licence?: string }, now = Date.now()): Promise<(AgencyLookup & { listDate: string }) | null> {
    const list = await this.current();
    if (!list) return null;
    const today = wibDate(now);
    if (q.licence) {
      const r = byLicence(list.index, q.licence, today);
      if (r.found || !q.name) return { ...r, listDate: list.status.date };
    }
    return { ...(q.name ? byName(list.index, q.name, today) : { found: false as const }), listDate: list.status.date };
  }

  async check(q: { names: readonly string[]; licences: readonly string[] }, now: number): Promise<AgencyCheck | null> {
    const list = await this.current();
    if (!list) return null;
    const today = wibDate(now);
    return {
      listDate: list.status.date,
      names: q.names.map((written) => ({ written, result: byName(list.index, written, today) })),
      licences: q.licences.map((written) => ({ written, result: byLicence(list.index, written, today) })),
    };
  }
}

const found = (agency: Agency, today: string) => ({ ...agency, expired: agency.validUntil !== null && agency.validUntil < today });

function byLicence(index: AgencyIndex, written: string, today: string): AgencyLookup {
  const agency = index.licence(written);
  return agency ? { found: true, agency: found(agency, today), how: 'licence', exact: true } : { found: false };
}

function byName(index: AgencyIndex, written: string, today: string): AgencyLookup {
  const m = index.name(written);
  if (m.agency) return { found: true, agency: found(m.agency, today), how: 'name', exact: m.exact };
  return m.nearest ? { found: false, nearest: m.nearest } : { found: false };
}
