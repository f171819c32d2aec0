import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { prometheusBinary } from '@tokenmeter/test-support';

const repoRoot = resolve(__dirname, '../../..');
const prometheusDir = join(repoRoot, 'provisioning/prometheus');
const composeFile = join(repoRoot, 'docker-compose.yml');

const promtool = (...args: string[]): string =>
  execFileSync(prometheusBinary('promtool'), args, {
    cwd: prometheusDir,
    encoding: 'utf8',
    stdio: 'pipe',
  });

describe('Prometheus configuration', () => {
  it('passes promtool check config (which also checks the rule files and the token file)', () => {
    // The sink's token file exists only inside the compose container: check a copy naming a
    // token file that exists here.
    const dir = mkdtempSync(join(tmpdir(), 'tm-prometheus-check-'));
    try {
      cpSync(prometheusDir, dir, { recursive: true });
      const tokenFile = join(dir, 'sink-token');
      writeFileSync(tokenFile, 'token');
      const config = readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8');
      expect(config).toContain('credentials_file: /run/secrets/tokenmeter_ingest_token');
      writeFileSync(
        join(dir, 'prometheus.yml'),
        config.replace('/run/secrets/tokenmeter_ingest_token', tokenFile),
      );
      const checked = execFileSync(prometheusBinary('promtool'), ['check', 'config', 'prometheus.yml'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(checked).toMatch(/SUCCESS: prometheus.yml is valid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', 'rules/tokenmeter.rules.yml')).toMatch(
      /SUCCESS: 5 rules found/,
    );
  });

  it('records the expected rates (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'rules/tokenmeter.rules.test.yml')).toMatch(/SUCCESS/);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(composeFile, 'utf8')) as {
    services: Record<
      string,
      { image?: string; build?: { context: string; dockerfile: string }; volumes?: string[] }
    >;
  };

  it('validates against the compose specification and dclint rules, without a Docker engine', () => {
    const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
    const [result] = linter.lintFiles([composeFile], false);
    expect(result?.messages.map((m) => `${m.line}: ${m.message} (${m.rule})`)).toEqual([]);
  });

  it('pins every image tag and builds the usage sink from this repository', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        expect(existsSync(join(repoRoot, service.build.context, service.build.dockerfile))).toBe(
          true,
        );
        continue;
      }
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[\w./-]+:v?\d+\.\d+(\.\d+)?(-[\w.]+)?$/),
      });
    }
    expect(Object.keys(compose.services).sort()).toEqual([
      'demo',
      'demo-provider',
      'demo-traffic',
      'grafana',
      'migrate',
      'otel-collector',
      'otelcol-queue-owner',
      'postgres',
      'prometheus',
      'redis',
      'usage-sink',
    ]);
  });

  it('mounts only files of this repository that exist (the plugin dist is built from grafana-plugin/)', () => {
    const binds = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./'));
    expect(binds.length).toBeGreaterThanOrEqual(4);
    for (const bind of binds) {
      const source = join(repoRoot, bind.split(':')[0] as string);
      const mustExist = source.endsWith('/dist') ? join(dirname(source), 'package.json') : source;
      expect({ bind, exists: existsSync(mustExist) }).toEqual({ bind, exists: true });
    }
  });
});
