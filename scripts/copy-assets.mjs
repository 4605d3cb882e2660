// After compiling (bench/run.ts, which compiles with tsc): copies the JSON files src/ reads at run
// time next to the compiled code in dist/src, as `npm run build` does (scripts/build.mjs copyAssets).
import { copyAssets } from './build.mjs';

copyAssets();
