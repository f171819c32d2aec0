export { renderSql, renderPromql, type RenderOptions, type PromRenderOptions } from './render';
export { expandPostgresMacros, interpolateGlobals, type TimeRange } from './postgres-macros';
export {
  ALL,
  formatSqlString,
  referencedVariables,
  type VariableValue,
  type VariableValues,
} from './template-variables';
export {
  formatRfc3339Nano,
  parseGoDuration,
  parseGrafanaInterval,
  formatGrafanaInterval,
} from './go-time';
