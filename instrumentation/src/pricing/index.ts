// Kept so that services importing `@tokenmeter/instrumentation/pricing` keep working: the pricing
// lives in @tokenmeter/conventions.
export * from '@tokenmeter/conventions/pricing';
