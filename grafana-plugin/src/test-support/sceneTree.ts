import {
  SceneDataTransformer,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimeRange,
  VizPanel,
  type SceneObject,
} from '@grafana/scenes';
import type { CatalogDataQuery } from '../scenes/catalogQueries';

/** Every scene object under `root`, root included, depth first. */
export function allObjects(root: SceneObject): SceneObject[] {
  const found: SceneObject[] = [root];
  root.forEachChild((child) => found.push(...allObjects(child)));
  return found;
}

export function panels(root: SceneObject): VizPanel[] {
  return allObjects(root).filter((object): object is VizPanel => object instanceof VizPanel);
}

export function panelTitled(root: SceneObject, title: string): VizPanel {
  const panel = panels(root).find((candidate) => candidate.state.title === title);
  if (!panel) {
    throw new Error(`No panel titled "${title}" (have: ${panels(root).map((p) => p.state.title).join(', ')})`);
  }
  return panel;
}

/** The query runner behind a panel, through any transformer. */
export function runnerOf(panel: VizPanel): SceneQueryRunner {
  let data = panel.state.$data;
  while (data instanceof SceneDataTransformer) {
    data = data.state.$data;
  }
  if (!(data instanceof SceneQueryRunner)) {
    throw new Error(`Panel "${panel.state.title}" has no query runner`);
  }
  return data;
}

export function queriesOf(panel: VizPanel): CatalogDataQuery[] {
  return runnerOf(panel).state.queries as CatalogDataQuery[];
}

export function catalogIdsOf(root: SceneObject): string[] {
  return panels(root).flatMap((panel) => queriesOf(panel).map((query) => query.catalogId));
}

export function timeRangeOf(root: SceneObject): SceneTimeRange {
  const timeRange = root.state.$timeRange;
  if (!(timeRange instanceof SceneTimeRange)) {
    throw new Error('Scene has no time range of its own');
  }
  return timeRange;
}

export function refreshPickerOf(root: SceneObject): SceneRefreshPicker {
  const picker = allObjects(root).find((object): object is SceneRefreshPicker => object instanceof SceneRefreshPicker);
  if (!picker) {
    throw new Error('Scene has no refresh picker');
  }
  return picker;
}

/** Field-config overrides of a panel as { field name: { property id: value } }. */
export function overridesByField(panel: VizPanel): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const override of panel.state.fieldConfig.overrides) {
    const name = String(override.matcher.options);
    result[name] = { ...result[name] };
    for (const property of override.properties) {
      result[name][property.id] = property.value;
    }
  }
  return result;
}
