// After tsc: copies the JSON files that src/ reads at run time (the checker's model and reference
// wages) next to the compiled code in dist/src.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
for (const file of walk(join(root, 'src'))) cpSync(file, join(root, 'dist', relative(root, file)));
