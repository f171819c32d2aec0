// Which package may import which (docs/architecture.md, "Import rules"), checked by `npm run lint`.
// A package is its folder; code that only tests, benchmarks or demonstrates is "dev code" and may
// also import the test helpers and the sink it runs.

/** The package `name`, whether the import resolved to its folder or (unbuilt) stayed a bare name. */
const pkg = (...names) =>
  `(?:^(node_modules/)?(${names.join('|')})/|^@tokenmeter/(${names.join('|')})($|/))`;

/** Tests, their helpers, benchmarks, examples and the plugin's browser harness. */
const DEV_CODE = [
  '\\.test\\.tsx?$',
  '/test-support/',
  '/bench/',
  '^instrumentation/(test|examples)/',
  '^grafana-plugin/(browser|scripts|\\.config)/',
];

/** Production code of the given package folders. */
const production = (...folders) => ({ path: `^(${folders.join('|')})/`, pathNot: DEV_CODE });

module.exports = {
  forbidden: [
    {
      name: 'conventions-imports-no-internal-package',
      comment:
        '@tokenmeter/conventions holds the shared names, settings and pricing: every package may import it, it imports none.',
      severity: 'error',
      from: { path: '^conventions/' },
      to: {
        path: pkg(
          'instrumentation',
          'collector',
          'test-support',
          'provisioning',
          'cli',
          'demo',
          'grafana-plugin',
        ),
      },
    },
    {
      name: 'production-code-imports-no-test-support',
      comment:
        '@tokenmeter/test-support is dev-only: tests, benchmarks and the demo use it, no shipped code.',
      severity: 'error',
      from: production(
        'conventions',
        'instrumentation',
        'collector',
        'provisioning',
        'cli',
        'grafana-plugin',
      ),
      to: { path: pkg('test-support') },
    },
    {
      name: 'instrumentation-imports-conventions-only',
      comment: 'The library services import must not pull in the sink, the catalog or the tools.',
      severity: 'error',
      from: production('instrumentation'),
      to: { path: pkg('collector', 'provisioning', 'cli', 'demo', 'grafana-plugin') },
    },
    {
      name: 'sink-imports-conventions-only',
      comment:
        'The usage sink must not import the client instrumentation (it runs where no service does).',
      severity: 'error',
      from: { path: '^collector/' },
      to: {
        path: pkg('instrumentation', 'provisioning', 'cli', 'demo', 'grafana-plugin'),
      },
    },
    {
      name: 'query-catalog-imports-conventions-only',
      comment:
        'The query catalog and provisioning are read by the plugin and the CLI: no sink, no instrumentation.',
      severity: 'error',
      from: production('provisioning'),
      to: { path: pkg('instrumentation', 'collector', 'cli', 'demo', 'grafana-plugin') },
    },
    {
      name: 'cli-imports-the-catalog-and-conventions-only',
      severity: 'error',
      from: production('cli'),
      to: { path: pkg('instrumentation', 'collector', 'demo', 'grafana-plugin') },
    },
    {
      name: 'plugin-imports-the-catalog-and-conventions-only',
      severity: 'error',
      from: production('grafana-plugin'),
      to: { path: pkg('instrumentation', 'collector', 'cli', 'demo') },
    },
    {
      name: 'test-support-imports-the-sink-and-conventions-only',
      comment:
        'Test helpers may set up the sink (migrate) but depend on no package that tests them.',
      severity: 'error',
      from: { path: '^test-support/' },
      to: { path: pkg('instrumentation', 'provisioning', 'cli', 'demo', 'grafana-plugin') },
    },
    {
      name: 'nobody-imports-the-demo',
      severity: 'error',
      from: { pathNot: '^demo/' },
      to: { path: pkg('demo') },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    exclude: { path: ['(^|/)(coverage|\\.build)/', '^grafana-plugin/node_modules'] },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.json'],
    },
  },
};
