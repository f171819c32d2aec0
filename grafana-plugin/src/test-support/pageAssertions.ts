import { SceneVariableSet, type EmbeddedScene } from '@grafana/scenes';
import { DATASOURCES, getQuery } from '@tokenmeter/provisioning/queries';
import { DATASOURCE_TYPES } from '../scenes/catalogQueries';
import { DEFAULT_REFRESH, DEFAULT_TIME_RANGE } from '../scenes/controls';
import { RefreshIndicator } from '../scenes/RefreshIndicator';
import { allObjects, panels, queriesOf, refreshPickerOf, timeRangeOf } from './sceneTree';

/** What every page shares: catalog queries verbatim, the provisioned datasources, 30 days, 1-minute refresh. */
export function expectPageConventions(scene: EmbeddedScene, datasourceUids: { prometheus: string; postgres: string }) {
  expect(timeRangeOf(scene).state).toMatchObject(DEFAULT_TIME_RANGE);
  expect(refreshPickerOf(scene).state.refresh).toBe(DEFAULT_REFRESH);
  expect(allObjects(scene).some((object) => object instanceof RefreshIndicator)).toBe(true);

  const variables = scene.state.$variables;
  expect(variables).toBeInstanceOf(SceneVariableSet);
  expect((variables as SceneVariableSet).state.variables.map((variable) => variable.state.name)).toEqual(
    expect.arrayContaining(['service', 'model', 'billing_mode', 'plan', 'free_quota'])
  );

  const allPanels = panels(scene);
  expect(allPanels.length).toBeGreaterThan(0);
  for (const panel of allPanels) {
    for (const query of queriesOf(panel)) {
      const catalog = getQuery(query.catalogId);
      const text = catalog.language === 'sql' ? query.rawSql : query.expr;
      expect({ id: catalog.id, text }).toEqual({ id: catalog.id, text: catalog.expr });
      expect(query.datasource).toEqual({
        uid: catalog.datasourceUid === DATASOURCES.prometheus ? datasourceUids.prometheus : datasourceUids.postgres,
        type: DATASOURCE_TYPES[catalog.language],
      });
    }
  }
}
