// The app plugin's plugin.json as Grafana's plugin loader reads it (no Grafana server runs here).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';

type Node = Record<string, unknown>;
const pluginSrc = resolve(__dirname, '../../../../grafana-plugin/src');
const pluginJson = JSON.parse(readFileSync(join(pluginSrc, 'plugin.json'), 'utf8')) as Node;
const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(join(__dirname, 'plugin-json.schema.json'), 'utf8')) as object,
);
const problems = (json: unknown): string[] =>
  validate(json)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);

describe('grafana-plugin/src/plugin.json', () => {
  it('has the structure and types Grafana loads (dependencies.plugins are objects)', () => {
    expect(problems(pluginJson)).toEqual([]);
  });

  it('names logos that the plugin ships and pages under its own app path', () => {
    const info = pluginJson.info as { logos: Record<string, string> };
    for (const logo of Object.values(info.logos))
      expect({ logo, exists: existsSync(join(pluginSrc, logo)) }).toEqual({ logo, exists: true });
    for (const include of pluginJson.includes as Node[])
      expect(String(include.path)).toMatch(/^\/a\/%PLUGIN_ID%\/[a-z-]+$/);
  });

  it('rejects dependencies written as plain ids, which Grafana cannot decode', () => {
    const broken = JSON.parse(JSON.stringify(pluginJson)) as Node;
    (broken.dependencies as Node).plugins = ['prometheus'];
    expect(problems(broken)).toEqual(['/dependencies/plugins/0: must be object']);
  });
});
