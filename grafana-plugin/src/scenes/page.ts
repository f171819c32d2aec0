import { EmbeddedScene, type SceneObject, type SceneVariable } from '@grafana/scenes';
import type { TokenmeterSettings } from '../settings/settings';
import { filterVariables, pageControls, pageTimeRange } from './controls';
import { pageBody } from './layout';

/**
 * A Tokenmeter page: rows of panels under the shared period (docs/features.md B1), the filter variables and the
 * controls (time range, refresh 1m with its indicator), so every panel follows them.
 */
export function tokenmeterPage(
  settings: TokenmeterSettings,
  rows: SceneObject[],
  extraVariables: SceneVariable[] = []
): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: pageTimeRange(),
    $variables: filterVariables(settings, extraVariables),
    controls: pageControls(),
    body: pageBody(rows),
  });
}
