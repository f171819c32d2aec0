import { formattedValueToString, getValueFormat } from '@grafana/data';
import type { VizPanel } from '@grafana/scenes';
import { COUNT_FIELDS, COUNT_UNIT } from '@tokenmeter/provisioning/display';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import { overridesByField, panelTitled, panels } from '../test-support/sceneTree';
import { dependenciesScene, pipelineScene } from './health/healthScenes';
import { modelsScene } from './models/modelsScene';
import { overviewScene } from './overview/overviewScene';
import { promptsScene } from './prompts/promptsScene';
import { userDetailScene, usersScene } from './users/usersScenes';

const PAGES = {
  overview: overviewScene(DEFAULT_SETTINGS),
  users: usersScene(DEFAULT_SETTINGS, '/users'),
  user: userDetailScene(DEFAULT_SETTINGS, 'user-alice-0001', '/users'),
  prompts: promptsScene(DEFAULT_SETTINGS),
  models: modelsScene(DEFAULT_SETTINGS),
  dependencies: dependenciesScene(DEFAULT_SETTINGS),
  pipeline: pipelineScene(DEFAULT_SETTINGS),
};

interface Format {
  where: string;
  unit?: string;
  decimals?: number | null;
}

/** What a figure of each field reads like: the panel's defaults and each field's override over them. */
function formatsOf(page: string, panel: VizPanel): Format[] {
  const { defaults } = panel.state.fieldConfig;
  const where = `${page} / ${panel.state.title}`;
  const byField = Object.entries(overridesByField(panel)).map(([field, properties]) => ({
    where: `${where} / ${field}`,
    unit: (properties.unit as string | undefined) ?? defaults.unit,
    decimals: (properties.decimals as number | undefined) ?? defaults.decimals,
  }));
  return [{ where, unit: defaults.unit, decimals: defaults.decimals }, ...byField];
}

const shown = (format: Format, value: number) =>
  formattedValueToString(getValueFormat(format.unit ?? 'short')(value, format.decimals));

describe('counts on every page', () => {
  const formats = Object.entries(PAGES).flatMap(([page, scene]) =>
    panels(scene).flatMap((panel) => formatsOf(page, panel))
  );

  it('read as exact whole numbers: 1.0034 errors (an extrapolated increase) read "1", 15300 tokens "15,300"', () => {
    const counts = formats.filter(
      (format) => format.unit === COUNT_UNIT || COUNT_FIELDS.some((field) => format.where.endsWith(` / ${field}`))
    );
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.map((format) => [format.where, shown(format, 1.0034), shown(format, 15300)])).toEqual(
      counts.map((format) => [format.where, '1', '15,300'])
    );
  });

  it('never use the scaled "short" unit, which reads 15300 tokens as "15.3 K"', () => {
    expect(formats.filter((format) => format.unit === 'short')).toEqual([]);
  });

  it('Errors by type reads its bars as whole numbers', () => {
    const errors = panelTitled(PAGES.models, 'Errors by type');
    expect(shown({ where: '', ...errors.state.fieldConfig.defaults }, 1.0034)).toBe('1');
  });
});
