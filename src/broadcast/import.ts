// Importing people who opted in elsewhere (a campaign's sign-up sheet, a partner's list): a CSV with
// the columns channel,user_id,language,topics,consented_at (and optionally region,destination). A row
// without a consent date, with a date in the future, or with any value Waspada does not know is
// refused, counted and named by its line; a person who opted out here before is never added again.
import { LANGS, TOPICS, type SubscriberInput, type Subscribers, type Topic } from './subscribers.js';

export interface ImportResult {
  added: number;
  updated: number;
  optedOut: number;
  refused: { line: number; reason: string }[];
}

const REQUIRED = ['channel', 'user_id', 'language', 'topics', 'consented_at'] as const;

/** Splits one CSV line (RFC 4180 quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (out.push(cur), (cur = ''));
    else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

/** The channels people may be imported for, with what an address looks like on each (the channel modules' `userId`). */
export type ImportChannels = Record<string, RegExp>;

/**
 * Imports people who opted in elsewhere. `optIn` tells a channel that writes only to people who wrote
 * first (whatsapp-web) that this person agreed: called for each person added or updated.
 */
export async function importSubscribers(
  csv: string,
  subscribers: Subscribers,
  channels: ImportChannels,
  now = Date.now(),
  optIn?: (channel: string, user: string) => Promise<void>,
): Promise<ImportResult> {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = cells(lines[0] ?? '').map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const result: ImportResult = { added: 0, updated: 0, optedOut: 0, refused: [] };
  if (missing.length) {
    result.refused.push({ line: 1, reason: `the header lacks ${missing.join(', ')} (columns: ${REQUIRED.join(',')}[,region,destination])` });
    return result;
  }
  const col = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
  const pending: SubscriberInput[] = [];
  const flush = async () => {
    const rows = pending.splice(0);
    const outcomes = subscribers.addMany ? await subscribers.addMany(rows) : await Promise.all(rows.map((r) => subscribers.add(r)));
    for (const [i, r] of outcomes.entries()) {
      if (r === 'new') result.added++;
      else if (r === 'updated') result.updated++;
      else result.optedOut++;
      if (optIn && r !== 'opted_out') await optIn(rows[i]!.channel, rows[i]!.user);
    }
  };
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (!lines[i]!.trim()) continue;
    const row = cells(lines[i]!);
    const refuse = (reason: string) => result.refused.push({ line, reason });
    const channel = col(row, 'channel');
    const user = col(row, 'user_id');
    const lang = col(row, 'language');
    const topics = col(row, 'topics').split(/[|;]/).map((t) => t.trim()).filter(Boolean);
    const consented = Date.parse(col(row, 'consented_at'));
    const region = col(row, 'region').toUpperCase() || null;
    const destination = col(row, 'destination').toUpperCase() || null;
    if (!Object.hasOwn(channels, channel)) refuse(`unknown channel "${channel}" (${Object.keys(channels).join(', ')})`);
    else if (!channels[channel]!.test(user)) refuse(`user_id "${user.slice(0, 24)}" is not a ${channel} id`);
    else if (!(LANGS as readonly string[]).includes(lang)) refuse(`unknown language "${lang}" (${LANGS.join(', ')})`);
    else if (!topics.length || topics.some((t) => !(TOPICS as readonly string[]).includes(t))) refuse(`topics "${col(row, 'topics')}": one or more of ${TOPICS.join(', ')}, separated by |`);
    else if (!col(row, 'consented_at')) refuse('no consent date: people are added only with their consent');
    else if (Number.isNaN(consented)) refuse(`consented_at "${col(row, 'consented_at')}" is not a date (ISO 8601)`);
    else if (consented > now + 60_000) refuse('consented_at is in the future');
    else if (region && !/^[A-Z]{2}$/.test(region)) refuse(`region "${region}" is not a province code (ISO 3166-2:ID, e.g. NB)`);
    else if (destination && !/^[A-Z]{2}$/.test(destination)) refuse(`destination "${destination}" is not a country code (ISO 3166-1, e.g. MY)`);
    else {
      pending.push({ channel, user, lang, topics: topics as Topic[], region, destination, consentedAt: consented });
      if (pending.length >= 500) await flush();
    }
  }
  await flush();
  return result;
}
