// Kept so that services importing `@tokenmeter/instrumentation/semconv` keep working: the names
// live in @tokenmeter/conventions.
export * from '@tokenmeter/conventions/semconv';
