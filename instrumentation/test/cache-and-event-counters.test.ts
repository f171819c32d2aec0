import { recordCacheLookup, recordEvent } from '../src';
import { metricNamed, pointsOf, useTestTelemetry } from './support/telemetry-harness';

const telemetry = useTestTelemetry();

it('counts cache hits and misses per cache', async () => {
  recordCacheLookup('recommendations', true);
  recordCacheLookup('recommendations', true);
  recordCacheLookup('recommendations', false);
  expect(
    pointsOf(metricNamed(await telemetry.collectMetrics(), 'tokenmeter.cache.requests')),
  ).toEqual([
    { attributes: { 'cache.name': 'recommendations', 'cache.result': 'hit' }, value: 2 },
    { attributes: { 'cache.name': 'recommendations', 'cache.result': 'miss' }, value: 1 },
  ]);
});

it('counts domain events by name and type', async () => {
  recordEvent('recommendation.generated', 'rebalance');
  recordEvent('recommendation.generated', 'rebalance', 2);
  recordEvent('recommendation.viewed');
  expect(pointsOf(metricNamed(await telemetry.collectMetrics(), 'tokenmeter.events'))).toEqual([
    {
      attributes: { 'event.name': 'recommendation.generated', 'event.type': 'rebalance' },
      value: 3,
    },
    { attributes: { 'event.name': 'recommendation.viewed' }, value: 1 },
  ]);
});
