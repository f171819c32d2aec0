export * from './setup';
export * from './attribution';
export * from './model-call';
export * from './openai';
export * from './health';
export * from './counters';
export { setWarnHandler } from './diagnostics';
export * from './pricing';
export * as semconv from './semconv';
