// One version of each component everywhere (README "Versions"): fails when the compose images,
// the app plugin and its Grafana libraries, the Collector's manifest and the components the tests
// run drift apart.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import semver from 'semver';
import {
  GRAFANA_CORE_PACKAGES,
  collectorBuilderVersion,
  collectorManifestModules,
  composeImageTag,
  declaredVersions,
  installedVersion,
  pluginGrafanaDependency,
  repoRoot,
  tagVersion,
  versionInBanner,
} from './component-versions';
import { prometheusBinary } from '@tokenmeter/test-support';

describe('Grafana: one version for the compose image, plugin.json and the @grafana libraries', () => {
  const grafana = composeImageTag('grafana/grafana');

  it('pins the compose image to an exact release', () => {
    expect(semver.valid(grafana)).toBe(grafana);
  });

  it("the compose image satisfies the plugin's grafanaDependency", () => {
    const range = pluginGrafanaDependency();
    expect(semver.validRange(range)).not.toBeNull();
    expect({ grafana, range, satisfied: semver.satisfies(grafana, range) }).toEqual({
      grafana,
      range,
      satisfied: true,
    });
  });

  it('the plugin builds against the libraries of that same release, exactly pinned', () => {
    const plugin = declaredVersions('grafana-plugin/package.json', GRAFANA_CORE_PACKAGES);
    expect(Object.keys(plugin).sort()).toEqual([...GRAFANA_CORE_PACKAGES].sort());
    for (const [name, version] of Object.entries(plugin))
      expect({ name, version }).toEqual({ name, version: grafana });
  });

  it("provisioning's schema checks use the same @grafana libraries", () => {
    const provisioning = declaredVersions('provisioning/package.json', GRAFANA_CORE_PACKAGES);
    expect(Object.keys(provisioning).sort()).toEqual(['@grafana/data', '@grafana/schema']);
    for (const [name, version] of Object.entries(provisioning))
      expect({ name, version }).toEqual({ name, version: grafana });
  });

  it('node_modules holds exactly those versions (no stale install)', () => {
    for (const name of GRAFANA_CORE_PACKAGES)
      expect({ name, installed: installedVersion(name) }).toEqual({ name, installed: grafana });
  });

  it("@grafana/scenes accepts that release's libraries (its peer dependencies)", () => {
    const scenes = JSON.parse(
      readFileSync(require.resolve('@grafana/scenes/package.json', { paths: [repoRoot] }), 'utf8'),
    ) as { peerDependencies: Record<string, string> };
    const peers = Object.entries(scenes.peerDependencies).filter(([name]) =>
      (GRAFANA_CORE_PACKAGES as readonly string[]).includes(name),
    );
    expect(peers.length).toBeGreaterThanOrEqual(5);
    for (const [name, range] of peers)
      expect({ name, range, accepted: semver.satisfies(grafana, range) }).toEqual({
        name,
        range,
        accepted: true,
      });
  });

  it("the plugin's lowest supported Grafana is not newer than the compose image's minor", () => {
    const lowest = semver.minVersion(pluginGrafanaDependency());
    expect(lowest && semver.lte(lowest, grafana)).toBe(true);
    expect(lowest?.major).toBe(semver.major(grafana));
  });
});

describe('OpenTelemetry Collector: the compose image, the builder manifest and the builder agree', () => {
  const image = `v${composeImageTag('otel/opentelemetry-collector-contrib')}`;
  const modules = collectorManifestModules();

  it('builds with the Collector Builder of the same release', () => {
    expect(collectorBuilderVersion()).toBe(image);
  });

  it('pins every v0 module of the manifest (core and contrib) to that release', () => {
    const v0 = [...modules].filter(([, version]) => version.startsWith('v0.'));
    expect(v0.length).toBeGreaterThanOrEqual(5);
    for (const [module, version] of v0)
      expect({ module, version }).toEqual({ module, version: image });
  });

  it("pins every stable (v1) core module to one version (the release's confmap/stable line)", () => {
    const v1 = new Set([...modules.values()].filter((version) => version.startsWith('v1.')));
    expect(v1.size).toBeLessThanOrEqual(1);
  });
});

// Compose pins upstream images; the tests run Debian's packages. The rule (README "Versions"):
// the same major release. Prometheus's image is also no older than the tested promtool (a minor
// release adds features the configuration may use; Debian's 2.42 is frozen with bookworm).
// PostgreSQL minor releases fix bugs only and Debian's security updates move the tested one, so
// for PostgreSQL the major alone must agree (it fixes the data directory format and the SQL).
describe('Prometheus and PostgreSQL: compose images follow the releases the tests run', () => {
  it('Prometheus: same major as the tested promtool, image not older', () => {
    const banner = execFileSync(prometheusBinary('promtool'), ['--version'], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const tested = versionInBanner(banner);
    const image = tagVersion(composeImageTag('prom/prometheus'));
    expect(semver.valid(image.text)).toBe(image.text);
    expect(image.major).toBe(semver.major(tested));
    expect({ image: image.text, tested, notOlder: semver.gte(image.text, tested) }).toEqual({
      image: image.text,
      tested,
      notOlder: true,
    });
  });

  it('PostgreSQL: same major as the tested server', async () => {
    const url = process.env.TOKENMETER_TEST_DATABASE_URL;
    if (!url)
      throw new Error('TOKENMETER_TEST_DATABASE_URL is not set: run the tests through `npm test`');
    const client = new Client({ connectionString: url });
    await client.connect();
    let tested: number;
    try {
      const { rows } = await client.query<{ server_version_num: string }>(
        'SHOW server_version_num',
      );
      tested = Number(rows[0]?.server_version_num);
    } finally {
      await client.end();
    }
    const image = tagVersion(composeImageTag('postgres'));
    // server_version_num is major * 10000 + minor since PostgreSQL 10.
    expect({ image: image.major, tested: Math.floor(tested / 10000) }).toEqual({
      image: image.major,
      tested: image.major,
    });
  });
});
