// Preloaded (node --require) into a process under test: when it exits, writes the npm packages it
// loaded, one per line, to the file named by LOADED_PACKAGES_OUT.
const Module = require('node:module');
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const packages = new Set();
  for (const file of Object.keys(Module._cache)) {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
    if (m) packages.add(m[1].replace(/\\/g, '/'));
  }
  writeFileSync(process.env.LOADED_PACKAGES_OUT, [...packages].sort().join('\n'));
});
