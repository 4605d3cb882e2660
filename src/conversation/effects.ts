// The effects live one file each in ./effects/ (registered in ./effects/index.ts); this path stays for
// the modules that import them from here.
export * from './effects/index.js';
