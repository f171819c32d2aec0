export * from './pricing';
export * as semconv from './semconv';
