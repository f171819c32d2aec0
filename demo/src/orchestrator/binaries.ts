// Finding the optional binaries of the no-Docker demo: the Collector built by
// collector/scripts/build-collector.sh, and Prometheus.
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** OTELCOL_BIN, TOKENMETER_OTELCOL_BIN, or the newest binary in build-collector.sh's cache. */
export function findCollector(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['OTELCOL_BIN', 'TOKENMETER_OTELCOL_BIN']) {
    const path = env[name];
    if (path) {
      if (!executable(path)) throw new Error(`${name}=${path} is not an executable file`);
      return path;
    }
  }
  const cache = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tokenmeter');
  if (!existsSync(cache)) return undefined;
  const built = readdirSync(cache)
    .filter((entry) => entry.startsWith('otelcol-'))
    .map((entry) => join(cache, entry, 'otelcol-tokenmeter'))
    .filter(executable)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return built[0];
}

/** PROMETHEUS_BIN, TOKENMETER_PROMETHEUS_DIR/prometheus, or `prometheus` on PATH. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PROMETHEUS_BIN) {
    if (!executable(env.PROMETHEUS_BIN))
      throw new Error(`PROMETHEUS_BIN=${env.PROMETHEUS_BIN} is not an executable file`);
    return env.PROMETHEUS_BIN;
  }
  const candidates = [
    ...(env.TOKENMETER_PROMETHEUS_DIR ? [join(env.TOKENMETER_PROMETHEUS_DIR, 'prometheus')] : []),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'prometheus')),
  ];
  return candidates.find(executable);
}
