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
export {
  EVENTS_BY_STEP_X_FIELD,
  PIE_OPTIONS,
  eventsByStepTransformations,
  keepOnlyFields,
  plainEventName,
} from './charts';
export { COUNT_FIELDS, COUNT_FORMAT, COUNT_UNIT, decimalsOf } from './formats';
export {
  SHORT_TIME_UNIT,
  TABLE_CHROME_PX,
  TABLE_LAYOUTS,
  columnsThatFit,
  fittedColumnWidths,
  fullWidth,
  type TableColumn,
  type TableLayout,
  type TableName,
} from './tables';
