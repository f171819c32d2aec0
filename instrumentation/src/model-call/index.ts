export { type ModelCallSpec, type ModelCallOutcome, type ModelCallRecorder } from './model-call';
export {
  traceModelCall,
  traceModelStream,
  type TraceModelCallOptions,
  type TraceModelStreamOptions,
} from './trace-model-call';
export { usageFrom } from './provider-usage';
export type { ReportedUsage } from './usage';
