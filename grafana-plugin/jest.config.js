// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const path = require('path');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const base = require('./.config/jest.config');

// ESM-only packages that @grafana/ui, @grafana/data and @grafana/scenes load at import time.
const ESM_ONLY_PACKAGES = [
  '@grafana/scenes',
  '@grafana/react-data-grid',
  '@react-hookz',
  '@ver0',
  '@tanstack',
  '@leeoniya',
  '@codemirror',
  '@lezer',
  '@marijn',
  'd3-[a-z-]+',
  'internmap',
  'date-fns',
  'react-loading-skeleton',
  'compute-scroll-into-view',
  'stylis',
  'crelt',
  'style-mod',
  'w3c-keyname',
  'web-vitals',
  'nanoid',
  'uwrap',
];

/** Unit and scene-tree tests (jsdom). The browser test has its own config: jest.browser.config.js. */
module.exports = {
  ...base,
  rootDir: __dirname,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^@tokenmeter/provisioning$': path.resolve(__dirname, '../provisioning/src/index.ts'),
    '^@tokenmeter/provisioning/(.*)$': path.resolve(__dirname, '../provisioning/src/$1'),
    '^@tokenmeter/conventions$': path.resolve(__dirname, '../conventions/src/index.ts'),
    '^@tokenmeter/conventions/(.*)$': path.resolve(__dirname, '../conventions/src') + '/$1',
  },
  setupFiles: ['<rootDir>/src/test-support/jsdom-globals.js'],
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/scripts/**/*.test.ts'],
  // module.tsx has a top-level await (plugin translations); tests import the pages directly.
  coveragePathIgnorePatterns: ['<rootDir>/src/module.tsx'],
  transform: {
    '^.+\\.m?(t|j)sx?$': base.transform['^.+\\.(t|j)sx?$'],
  },
  transformIgnorePatterns: [
    nodeModulesToTransform([
      ...grafanaESModules,
      ...ESM_ONLY_PACKAGES,
    ]),
  ],
  testTimeout: 30000,
};
