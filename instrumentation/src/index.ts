export { setupTokenmeter, type Tokenmeter, type TokenmeterOptions } from './setup';
export {
  withAttribution,
  currentAttribution,
  contextWithAttribution,
  type Attribution,
} from './attribution';
export {
  traceModelCall,
  traceModelStream,
  usageFrom,
  type ModelCallSpec,
  type ModelCallOutcome,
  type ModelCallRecorder,
  type ReportedUsage,
  type TraceModelCallOptions,
  type TraceModelStreamOptions,
} from './model-call';
export { instrumentOpenAI, OpenAIStreamError, type InstrumentOpenAIOptions } from './openai';
export {
  HealthRegistry,
  type HealthCheck,
  type ComponentHealth,
  type HealthReport,
  type HealthRegistryOptions,
} from './health';
export { recordCacheLookup, recordEvent } from './counters';
export { setWarnHandler } from './diagnostics';
export * from './pricing';
export * as semconv from './semconv';
