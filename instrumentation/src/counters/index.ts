export { recordCacheLookup, recordEvent } from './counters';
