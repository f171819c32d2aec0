// Real components the tests use, named by scripts/test.sh. A missing one fails the test loudly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function requireEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: these tests need ${what}. Run them through \`npm test\` (scripts/test.sh), which provides it.`,
    );
  }
  return value;
}

export const testDatabaseUrl = (): string =>
  requireEnv('TOKENMETER_TEST_DATABASE_URL', 'a PostgreSQL server (scripts/ensure/postgres.sh)');
export const otelcolBinary = (): string =>
  requireEnv(
    'TOKENMETER_OTELCOL_BIN',
    'the Collector binary (collector/scripts/build-collector.sh)',
  );
export const prometheusDir = (): string =>
  requireEnv(
    'TOKENMETER_PROMETHEUS_DIR',
    "Prometheus 2.42 (Debian's prometheus; scripts/ensure/prometheus.sh)",
  );
export const pythonEmitters = (): string =>
  requireEnv(
    'TOKENMETER_PYTHON_EMITTERS',
    "the Python venv of the third-party OpenAI instrumentations (scripts/ensure/python-emitters.sh)",
  );
export const pgCtl = (): string =>
  requireEnv('TOKENMETER_PG_CTL', 'the script that stops and starts the test PostgreSQL server');

/** A binary of the Prometheus installation of TOKENMETER_PROMETHEUS_DIR; throws when it is not there. */
export function prometheusBinary(name: 'prometheus' | 'promtool'): string {
  const path = join(prometheusDir(), name);
  if (!existsSync(path))
    throw new Error(`${path} not found (TOKENMETER_PROMETHEUS_DIR=${prometheusDir()})`);
  return path;
}
