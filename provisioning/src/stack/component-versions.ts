// Where each component's version is written down: docker-compose.yml's images, the app plugin's
// plugin.json and @grafana packages, the Collector's builder manifest and build script. The
// version-agreement test (component-versions.test.ts) reads them all from here.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = resolve(__dirname, '../../..');

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;

/** The Grafana libraries released with Grafana itself (same version number as the server). */
export const GRAFANA_CORE_PACKAGES = [
  '@grafana/data',
  '@grafana/e2e-selectors',
  '@grafana/i18n',
  '@grafana/runtime',
  '@grafana/schema',
  '@grafana/ui',
] as const;

/** The tag of `repository` among docker-compose.yml's images; throws when no service uses it. */
export function composeImageTag(repository: string): string {
  const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string }>;
  };
  const images = Object.values(compose.services)
    .map((service) => service.image)
    .filter((image): image is string => image?.startsWith(`${repository}:`) ?? false);
  if (images.length !== 1)
    throw new Error(`docker-compose.yml uses ${repository} ${images.length} times, expected once`);
  return (images[0] as string).slice(repository.length + 1);
}

/** `dependencies.grafanaDependency` of the app plugin (a semver range such as ">=13.1.0"). */
export function pluginGrafanaDependency(): string {
  const plugin = readJson('grafana-plugin/src/plugin.json') as {
    dependencies?: { grafanaDependency?: string };
  };
  const range = plugin.dependencies?.grafanaDependency;
  if (!range) throw new Error('grafana-plugin/src/plugin.json has no grafanaDependency');
  return range;
}

/** The version ranges `packageJsonPath` declares for `names` (dependencies or devDependencies). */
export function declaredVersions(
  packageJsonPath: string,
  names: readonly string[],
): Record<string, string | undefined> {
  const pkg = readJson(packageJsonPath) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const all = { ...pkg.devDependencies, ...pkg.dependencies };
  return Object.fromEntries(
    names.filter((name) => name in all).map((name) => [name, all[name]]),
  ) as Record<string, string | undefined>;
}

/** The version of `name` installed in the workspace's node_modules (npm hoists to the root). */
export function installedVersion(name: string): string {
  const pkg = JSON.parse(
    readFileSync(require.resolve(`${name}/package.json`, { paths: [repoRoot] }), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

/** Every `gomod` line of collector/builder-config.yaml as module → version. */
export function collectorManifestModules(): Map<string, string> {
  const manifest = parse(readFileSync(join(repoRoot, 'collector/builder-config.yaml'), 'utf8')) as
    Record<string, unknown> | undefined;
  const modules = new Map<string, string>();
  for (const section of Object.values(manifest ?? {})) {
    if (!Array.isArray(section)) continue;
    for (const entry of section as Array<{ gomod?: string }>) {
      const [module, version] = (entry.gomod ?? '').trim().split(/\s+/);
      if (module && version) modules.set(module, version);
    }
  }
  return modules;
}

/** OCB_VERSION of collector/scripts/build-collector.sh (the Collector Builder release). */
export function collectorBuilderVersion(): string {
  const script = readFileSync(join(repoRoot, 'collector/scripts/build-collector.sh'), 'utf8');
  const match = /^OCB_VERSION="([^"]+)"/m.exec(script);
  if (!match) throw new Error('collector/scripts/build-collector.sh sets no OCB_VERSION');
  return match[1] as string;
}

/** "2.42.0" from version banners such as "promtool, version 2.42.0+ds (branch: …)". */
export function versionInBanner(banner: string): string {
  const match = /version (\d+\.\d+\.\d+)/.exec(banner);
  if (!match) throw new Error(`no version in "${banner.split('\n')[0]}"`);
  return match[1] as string;
}

/** Major and minor of an image tag such as "15.8-bookworm", "v2.55.1" or "0.161.0". */
export function tagVersion(tag: string): { major: number; minor: number; text: string } {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!match) throw new Error(`image tag "${tag}" does not start with a version`);
  return { major: Number(match[1]), minor: Number(match[2]), text: match[0].replace(/^v/, '') };
}
