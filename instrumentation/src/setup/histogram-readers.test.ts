import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { viewMaySelectModelCallHistograms as maySelect } from './histogram-readers';

it('finds the Views that could select a model-call histogram', () => {
  expect(maySelect({ instrumentName: 'gen_ai.client.token.usage' })).toBe(true);
  expect(maySelect({ instrumentName: 'gen_ai.*' })).toBe(true);
  expect(maySelect({ instrumentName: '*' })).toBe(true);
  expect(maySelect({ instrumentName: 'gen_ai.client.operation.?uration' })).toBe(true);
  expect(maySelect({ instrumentType: InstrumentType.HISTOGRAM })).toBe(true);
  expect(maySelect({ meterName: '@tokenmeter/instrumentation' })).toBe(true);
  expect(maySelect({ instrumentUnit: '{token}' })).toBe(true);
});

it('leaves alone the Views that select other instruments', () => {
  expect(maySelect({ instrumentName: 'http.server.request.duration' })).toBe(false);
  expect(maySelect({ instrumentName: 'gen_ai.client.token.usage.extra' })).toBe(false);
  expect(maySelect({ instrumentName: 'gen_ai+client' })).toBe(false);
  expect(maySelect({ instrumentType: InstrumentType.COUNTER })).toBe(false);
  expect(maySelect({ meterName: '@opentelemetry/instrumentation-http' })).toBe(false);
  expect(maySelect({ meterVersion: '1.0.0' })).toBe(false);
  expect(maySelect({ instrumentName: 'gen_ai.*', instrumentUnit: 'ms' })).toBe(false);
});
