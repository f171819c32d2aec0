// Lets plain `node -r` run the workspaces' TypeScript without a build (benchmarks, examples, test
// fixtures): .ts files are transpiled by SWC on require, and @tokenmeter/<name>[/<path>] resolves
// to <name>/src/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const ROOT = path.join(__dirname, '..');
const SCOPE = '@tokenmeter/';

/** The source file an import of a workspace package means, when there is one. */
function workspaceSource(request) {
  if (!request.startsWith(SCOPE)) return undefined;
  const [name, ...rest] = request.slice(SCOPE.length).split('/');
  const base = path.join(ROOT, name, 'src', ...rest);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((file) => fs.existsSync(file));
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, workspaceSource(request) ?? request, ...rest);
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
