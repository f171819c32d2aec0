import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Path of a Prometheus binary from TOKENMETER_PROMETHEUS_DIR; throws when it is not there (tests never skip). */
export function prometheusBinary(name: 'prometheus' | 'promtool'): string {
  const dir = process.env.TOKENMETER_PROMETHEUS_DIR;
  if (!dir)
    throw new Error(
      'TOKENMETER_PROMETHEUS_DIR is not set: run the tests through `npm test` (scripts/test.sh)',
    );
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path} not found (TOKENMETER_PROMETHEUS_DIR=${dir})`);
  return path;
}
