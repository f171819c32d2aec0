// Lets plain `node` run the workspaces' TypeScript (examples, benchmarks, test fixtures) without a
// build: .ts files are transpiled by SWC on require, and @tokenmeter/conventions and
// @tokenmeter/instrumentation resolve to their src/ folders.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = {
  '@tokenmeter/conventions': path.join(ROOT, 'conventions', 'src'),
  '@tokenmeter/instrumentation': path.join(ROOT, 'instrumentation', 'src'),
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const [name, src] of Object.entries(SOURCES)) {
    if (request === name) request = path.join(src, 'index.ts');
    else if (request.startsWith(`${name}/`))
      request = path.join(src, request.slice(name.length + 1));
  }
  return resolveFilename.call(this, request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
