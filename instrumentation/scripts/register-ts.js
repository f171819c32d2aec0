// Lets plain `node` run this package's TypeScript (examples, benchmark, test fixtures) without a
// build: .ts files are transpiled by SWC on require, and @tokenmeter/instrumentation resolves to src/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const SRC = path.join(__dirname, '..', 'src');
const PACKAGE = '@tokenmeter/instrumentation';

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === PACKAGE) request = path.join(SRC, 'index.ts');
  else if (request.startsWith(`${PACKAGE}/`))
    request = path.join(SRC, request.slice(PACKAGE.length + 1));
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
