export * from './queries';
export * from './render';
