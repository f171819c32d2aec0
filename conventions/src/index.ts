// The shared names and rules; each part of Tokenmeter imports them from here, never copies them.
export * from './semconv';
export * from './pricing';
export * from './settings';
export * from './ledger-schema';
