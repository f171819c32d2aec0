// Test and dev helpers of every workspace. Dev-only: no production package imports this one
// (docs/architecture.md; checked by .dependency-cruiser.cjs).
export {
  otelcolBinary,
  pgCtl,
  prometheusBinary,
  prometheusDir,
  pythonEmitters,
  requireEnv,
  testDatabaseUrl,
} from './environment';
export {
  createMigratedTestDatabase,
  createTestDatabase,
  testPool,
  withClient,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database';
export {
  ManagedProcess,
  answers,
  ensureRunning,
  freePort,
  portOrFree,
  waitFor,
} from './processes/managed-process';
export {
  COLLECTOR_CONFIG,
  startCollector,
  type CollectorPorts,
  type RunningCollector,
} from './processes/collector-process';
export { startPrometheusProcess, type RunningPrometheus } from './processes/prometheus-process';
export { queryPrometheus, type PrometheusSample } from './processes/prometheus-query';
export { hostileName } from './hostile-names';
export {
  startBackfilledPrometheus,
  type BackfilledPrometheus,
  type PromSample,
} from './processes/backfilled-prometheus';
export {
  startTestCollector,
  startTestPrometheus,
  type RunningTestProcess,
  type TestCollector,
  type TestPrometheus,
} from './test-stack';
export {
  DEFAULT_MODEL,
  genAiAttributes,
  genAiSpanName,
  type AttributeValue,
  type CallSpec,
} from './genai-call';
export { sdkMeterProvider, sdkTracer } from './otel-senders';
export {
  CANNED_COMPLETION,
  CANNED_CONTENT_MARKER,
  CANNED_ERROR,
  CANNED_MODELS,
  CANNED_STREAM,
  startCannedOpenAIServer,
  type CannedOpenAIServer,
  type ReceivedRequest,
} from './canned-openai-server';
