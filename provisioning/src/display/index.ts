// What every screen shares beside the queries: thresholds, colours and how a catalog query becomes a
// panel target. Dependency-free like the catalog: the app plugin bundles it.
export {
  ALERT_THRESHOLDS,
  COLOURS,
  DISPLAY_LEVELS,
  WATCH_SHARE,
  accentSteps,
  fallingSteps,
  risingSteps,
  type LevelName,
  type Levels,
  type ThresholdStep,
} from './thresholds';
export { DATASOURCE_TYPES, queryTarget, type QueryTarget } from './query-target';
