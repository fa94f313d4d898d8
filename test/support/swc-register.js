// Lets child processes started by integration tests run TypeScript sources directly
// (`node -r ./test/support/swc-register.js some.ts`), compiled with the project's .swcrc.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = root;
swcrc.sourceMaps = 'inline';

const load = Module._extensions['.js'];
Module._extensions['.ts'] = function compileTs(module, filename) {
  if (filename.includes(`${path.sep}node_modules${path.sep}`)) return load(module, filename);
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false });
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);
