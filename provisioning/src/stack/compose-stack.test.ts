// docker-compose.yml as a stack, without a Docker engine: every dependency exists and starts in a
// sensible order, waits on health where a health check exists, every service a container talks to
// is among what it waits for, every long-running service has a health check, and commands run
// files the image builds. Schema, pinned images and mounts: stack-config.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './component-versions';
import { commandProblems, readDockerfile } from './dockerfile-checks';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  command?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  profiles?: string[];
  restart?: string;
  user?: string;
  secrets?: string[];
}
const services = (
  parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
  }
).services;
const names = Object.keys(services);
const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');

/** One-shot services (restart: 'no'): they run to completion, and others wait for that. */
const isOneShot = (name: string): boolean => services[name]?.restart === 'no';

// Services without a health check, and why (README "docker-compose").
const NO_HEALTHCHECK: Record<string, string> = {
  'otel-collector': 'the official image has no shell or HTTP client; Prometheus `up` shows it',
  'demo-traffic': 'a traffic generator serves nothing',
};

const hasHealthcheck = (name: string): boolean => {
  const service = services[name] as Service;
  if (service.healthcheck?.disable) return false;
  if (service.healthcheck?.test) return true;
  if (!service.build) return false;
  const dockerfile = readFileSync(
    join(repoRoot, service.build.context, service.build.dockerfile),
    'utf8',
  );
  return readDockerfile(dockerfile).healthcheck;
};

const waitsFor = (name: string, seen = new Set<string>()): Set<string> => {
  for (const dependency of Object.keys(services[name]?.depends_on ?? {})) {
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    waitsFor(dependency, seen);
  }
  return seen;
};

describe('docker-compose.yml start order and health', () => {
  it('depends only on services that exist, without cycles', () => {
    for (const name of names) {
      for (const dependency of Object.keys(services[name]?.depends_on ?? {}))
        expect({ name, dependency, exists: names.includes(dependency) }).toEqual({
          name,
          dependency,
          exists: true,
        });
      expect({ name, waitsForItself: waitsFor(name).has(name) }).toEqual({
        name,
        waitsForItself: false,
      });
    }
  });

  it('waits for service_healthy exactly where the dependency has a health check', () => {
    for (const name of names)
      for (const [dependency, { condition }] of Object.entries(services[name]?.depends_on ?? {}))
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: isOneShot(dependency)
            ? 'service_completed_successfully'
            : hasHealthcheck(dependency)
              ? 'service_healthy'
              : 'service_started',
        });
  });

  it('gives every long-running service a health check, except the documented ones', () => {
    for (const name of names.filter((n) => !isOneShot(n)))
      expect({ name, healthcheck: hasHealthcheck(name) }).toEqual({
        name,
        healthcheck: !(name in NO_HEALTHCHECK),
      });
  });

  it('starts every service a container talks to before it (by host name in its settings)', () => {
    for (const name of names) {
      const service = services[name] as Service;
      const settings = JSON.stringify([service.environment ?? {}, service.command ?? []]);
      const hosts = [...settings.matchAll(/(?:\/\/|@|")([a-z][\w-]*)(?=:\d)/g)].map((m) => m[1]);
      for (const host of hosts.filter((h) => h !== 'localhost' && h !== '127'))
        expect({
          name,
          host,
          waitedFor: names.includes(host as string) && waitsFor(name).has(host as string),
        }).toEqual({
          name,
          host,
          waitedFor: true,
        });
    }
  });

  it('never makes a service of the default stack wait for a profile-only one', () => {
    for (const name of names.filter((n) => !services[n]?.profiles))
      for (const dependency of waitsFor(name))
        expect({ name, dependency, profiles: services[dependency]?.profiles }).toEqual({
          name,
          dependency,
          profiles: undefined,
        });
  });

  it('runs, in built images, commands the build produces', () => {
    for (const name of names.filter((n) => services[n]?.build && services[n]?.command))
      expect(commandProblems(repoRoot, services[name]?.command ?? [], name)).toEqual([]);
  });

  it('declares every named volume it mounts and publishes each host port once', () => {
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { volumes?: string[]; ports?: string[] }>;
      volumes?: Record<string, unknown>;
    };
    const declared = Object.keys(compose.volumes ?? {});
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0] as string)
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect([...new Set(named)].sort()).toEqual(declared.sort());
    const hostPorts = Object.values(compose.services)
      .flatMap((s) => s.ports ?? [])
      .map((p) => p.split(':').slice(-2, -1)[0]);
    expect(hostPorts.length).toBeGreaterThanOrEqual(7);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('migrates once as the owner before the sink and Grafana, which connect as the writer and the reader', () => {
    expect(isOneShot('migrate')).toBe(true);
    expect(services.migrate?.command).toEqual(['node', 'collector/dist/migrate-cli.js']);
    expect(services.migrate?.environment?.TOKENMETER_DATABASE_URL).toMatch(/^postgres:\/\/tokenmeter:/);
    for (const name of ['usage-sink', 'grafana'])
      expect({ name, migrate: services[name]?.depends_on?.migrate }).toEqual({
        name,
        migrate: { condition: 'service_completed_successfully' },
      });
    const sink = services['usage-sink']?.environment ?? {};
    expect(sink.TOKENMETER_SINK_MIGRATE).toBe('false');
    expect(sink.TOKENMETER_DATABASE_URL).toMatch(/^postgres:\/\/\$\{TOKENMETER_PG_WRITER:-tokenmeter_sink\}:/);
    expect(services.migrate?.environment?.TOKENMETER_PG_WRITER).toBe('${TOKENMETER_PG_WRITER:-tokenmeter_sink}');
    expect(services.grafana?.environment?.TOKENMETER_PG_USER).toBe('${TOKENMETER_PG_READER:-tokenmeter_read}');
    expect(services.migrate?.environment?.TOKENMETER_PG_READER).toBe('${TOKENMETER_PG_READER:-tokenmeter_read}');
  });

  it('requires every password and token from .env with a clear error, never a default', () => {
    const secrets = [...composeText.matchAll(/\$\{([A-Z_]*(?:PASSWORD|TOKEN|_KEY))(?=[:}])(:[-?])?([^}]*)\}/g)];
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const [, variable, operator, rest] of secrets) {
      // Optional secrets (SMTP, the user id HMAC key) may be empty; none has a default value.
      const ok = operator === ':?' ? /^set \w+ in \.env/.test(rest!) : operator === ':-' && rest === '';
      expect({ variable, operator, rest, ok }).toEqual({ variable, operator, rest, ok: true });
    }
    const required = new Set(secrets.filter(([, , operator]) => operator === ':?').map(([, variable]) => variable));
    expect([...required].sort()).toEqual([
      'GRAFANA_ADMIN_PASSWORD',
      'TOKENMETER_INGEST_TOKEN',
      'TOKENMETER_OTLP_TOKEN',
      'TOKENMETER_PG_PASSWORD',
      'TOKENMETER_PG_READER_PASSWORD',
      'TOKENMETER_PG_WRITER_PASSWORD',
    ]);
  });

  it('gives the sink and the Collector their tokens, the sink an explicit address, Prometheus the token file and no lifecycle API', () => {
    expect(services['usage-sink']?.environment?.TOKENMETER_SINK_HOST).toBe('0.0.0.0');
    expect(services['usage-sink']?.environment?.TOKENMETER_INGEST_TOKEN).toMatch(/^\$\{TOKENMETER_INGEST_TOKEN:\?/);
    expect(services['otel-collector']?.environment?.TOKENMETER_OTLP_TOKEN).toMatch(/^\$\{TOKENMETER_OTLP_TOKEN:\?/);
    expect(services['otel-collector']?.environment?.TOKENMETER_INGEST_TOKEN).toMatch(/^\$\{TOKENMETER_INGEST_TOKEN:\?/);
    expect(services.prometheus?.command).not.toContain('--web.enable-lifecycle');
    expect(services.prometheus?.secrets).toEqual(['tokenmeter_ingest_token']);
    expect(JSON.stringify(services['usage-sink']?.healthcheck?.test)).toContain('process.env.TOKENMETER_INGEST_TOKEN');
  });

  it('runs no long-running service as root', () => {
    for (const name of names.filter((n) => !isOneShot(n)))
      expect({ name, user: services[name]?.user }).toEqual({ name, user: undefined });
    expect(services['otel-collector']?.depends_on?.['otelcol-queue-owner']).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('gives the demo service the Redis its health check needs', () => {
    expect(services.demo?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(services.redis?.profiles).toEqual(['demo']);
    expect(services.demo?.depends_on?.redis).toEqual({ condition: 'service_healthy' });
  });
});
