// The instrumented-client tests (test/openai-client.test.ts) run twice: against the openai
// devDependency (6.x) and against openai 7, unpacked by scripts/ensure/openai-client.sh and named by
// scripts/test.sh in TOKENMETER_OPENAI_7_DIR (npm cannot install it here: it declares Node ≥ 22).
const preset = require('../jest.preset.js');

const openai7 = process.env.TOKENMETER_OPENAI_7_DIR;

module.exports = {
  projects: [
    { ...preset, displayName: 'instrumentation' },
    {
      ...preset,
      displayName: 'openai 7',
      testMatch: ['<rootDir>/test/openai-client.test.ts'],
      globals: { OPENAI_CLIENT_MAJOR: 7 },
      moduleNameMapper: {
        ...preset.moduleNameMapper,
        ...(openai7 ? { '^openai$': openai7, '^openai/(.*)$': `${openai7}/$1` } : {}),
      },
    },
  ],
};
