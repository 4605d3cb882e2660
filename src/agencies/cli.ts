// The list of licensed placement agencies (P3MI) from a terminal: `npm run --silent agencies -- <command>`.
// Needs REDIS_URL (and REDIS_PREFIX if the server uses one): the list lives in the server's Redis, and
// every process serving the chat reads the new list at its next lookup.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, requireRedis } from '../config.js';
import { keyspace } from '../store/keys.js';
import { connectRedis } from '../store/redis.js';
import { AgencyRegistry, type AgencyLookup } from './registry.js';

export const USAGE = `usage: npm run --silent agencies -- <command>
  import FILE.csv [--date YYYY-MM-DD] [--partial] [--json]
                                 replaces the list with the official list in FILE: columns
                                 name,licence_number,address,valid_until (optional: province), a header
                                 first; valid_until YYYY-MM-DD or empty. --date: the official list's date
                                 (default today). A refused row is named by its line, and then nothing
                                 changes unless --partial (import the rows that are right)
  lookup --name NAME | --licence NUMBER [--json]
                                 what the list says of a company name or licence number
  status [--json]                how many agencies the list has, and its date`;

class UsageError extends Error {}

function describe(r: AgencyLookup): string {
  if (!r.found) return `not on the list${r.nearest ? `; a similar name on it: ${r.nearest.name} (licence ${r.nearest.licence})` : ''}`;
  const a = r.agency;
  return [
    `on the list (by ${r.how}${r.how === 'name' && !r.exact ? ', a name a little different' : ''}): ${a.name}`,
    `  licence ${a.licence}${a.validUntil ? `, valid until ${a.validUntil}${a.expired ? ' (EXPIRED)' : ''}` : ''}`,
    ...(a.address ? [`  ${a.address}`] : []),
    ...(a.province ? [`  ${a.province}`] : []),
  ].join('\n');
}

export async function main(argv: string[], out: (s: string) => void = (s) => void process.stdout.write(`${s}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  let close = () => {};
  try {
    const { values: o, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        date: { type: 'string' },
        partial: { type: 'boolean' },
        json: { type: 'boolean' },
        name: { type: 'string' },
        licence: { type: 'string' },
        license: { type: 'string' },
      },
    });
    if (!command || command === 'help' || command === '--help') {
      out(USAGE);
      return command ? 0 : 1;
    }
    if (!['import', 'lookup', 'status'].includes(command)) throw new UsageError(`unknown command "${command}"`);
    const file = positionals[0];
    if (command === 'import' && !file) throw new UsageError('a CSV file is needed');
    const licence = o.licence ?? o.license;
    if (command === 'lookup' && !o.name && !licence) throw new UsageError('--name or --licence is needed');
    const config = loadConfig();
    const target = requireRedis(config, '(the list of agencies lives in the server\'s Redis)');
    const csv = file ? readFileSync(file, 'utf8') : '';
    const redis = await connectRedis(target);
    close = () => redis.disconnect();
    const registry = new AgencyRegistry(redis, keyspace(config.REDIS_PREFIX));
    switch (command) {
      case 'import': {
        const r = await registry.importCsv(csv, { date: o.date, partial: o.partial });
        if (o.json) out(JSON.stringify(r));
        else {
          if (r.replaced) out(`${r.imported} agencies imported: the list of ${r.listDate}${r.previous ? ` (replaces the list of ${r.previous.date}, ${r.previous.count} agencies)` : ''}`);
          else out(`nothing imported${r.previous ? `: the list of ${r.previous.date} (${r.previous.count} agencies) stays in place` : ': no list is in place'}`);
          if (r.refused.length) out(`${r.refused.length} refused${r.replaced ? ' (not on the list)' : ''}${!r.replaced && r.refused.every((x) => x.line > 1) ? '; correct them, or import the others with --partial' : ''}:`);
          for (const x of r.refused.slice(0, 50)) out(`  ${x.line ? `line ${x.line}` : 'the list'}: ${x.reason}`);
          if (r.refused.length > 50) out(`  … ${r.refused.length - 50} more`);
        }
        return r.replaced ? 0 : 1;
      }
      case 'lookup': {
        const r = await registry.lookup({ name: o.name, licence });
        if (!r) {
          out(o.json ? JSON.stringify({ list: null }) : 'no list imported (npm run agencies -- import FILE)');
          return 1;
        }
        out(o.json ? JSON.stringify(r) : `the list of ${r.listDate}: ${describe(r)}`);
        return 0;
      }
      default: {
        const s = await registry.status();
        if (o.json) out(JSON.stringify(s ? { date: s.date, count: s.count, importedAt: new Date(s.importedAt).toISOString() } : { list: null }));
        else out(s ? `${s.count} agencies, the list of ${s.date} (imported ${new Date(s.importedAt).toISOString()})` : 'no list imported (npm run agencies -- import FILE)');
        return 0;
      }
    }
  } catch (e) {
    const message = e instanceof UsageError ? `${e.message}\n${USAGE}` : ((e as Error).message ?? String(e));
    process.stderr.write(`agencies: ${message}\n`);
    return 1;
  } finally {
    close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
