export {
  ManagedProcess,
  answers,
  ensureRunning,
  freePort,
  portOrFree,
  waitFor,
} from './managed-process';
export {
  COLLECTOR_CONFIG,
  startCollector,
  type CollectorPorts,
  type RunningCollector,
} from './collector-process';
export { queryPrometheus, type PrometheusSample } from './prometheus-query';
