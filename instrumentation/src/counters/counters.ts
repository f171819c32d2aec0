import { reportInternalError } from '../diagnostics';
import { instruments } from '../instruments';
import {
  ATTR_CACHE_NAME,
  ATTR_CACHE_RESULT,
  ATTR_EVENT_NAME,
  ATTR_EVENT_TYPE,
  CACHE_RESULT,
} from '@tokenmeter/conventions';

/** Counts one cache lookup of the named cache as a hit or a miss (tokenmeter.cache.requests). */
export function recordCacheLookup(cacheName: string, hit: boolean): void {
  try {
    instruments().cacheRequests.add(1, {
      [ATTR_CACHE_NAME]: cacheName,
      [ATTR_CACHE_RESULT]: hit ? CACHE_RESULT.hit : CACHE_RESULT.miss,
    });
  } catch (error) {
    reportInternalError('recordCacheLookup', error);
  }
}

/**
 * Counts a domain event (tokenmeter.events), e.g. recordEvent('recommendation.generated', 'rebalance').
 * Keep names and types to a small fixed set: both become metric labels.
 */
export function recordEvent(name: string, type?: string, count = 1): void {
  try {
    const attributes: Record<string, string> = { [ATTR_EVENT_NAME]: name };
    if (type !== undefined) attributes[ATTR_EVENT_TYPE] = type;
    instruments().events.add(count, attributes);
  } catch (error) {
    reportInternalError('recordEvent', error);
  }
}
