// After compiling: copies the JSON files that src/ reads at run time (the checker's model, prefilter and
// reference wages) next to the compiled code in dist/src, each written whole (a temporary name, then
// renamed) and only when it changed, so a command starting during a build never reads half of one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWhole } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
for (const file of walk(join(root, 'src'))) {
  const to = join(root, 'dist', relative(root, file));
  const contents = readFileSync(file);
  if (!existsSync(to) || !readFileSync(to).equals(contents)) writeWhole(to, contents);
}
