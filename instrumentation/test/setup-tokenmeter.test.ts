import {
  houseModelPrice as housePrice,
  writePricingFile as pricingFile,
} from './support/pricing-fixtures';
import { setupTokenmeter, traceModelCall } from '../src';
import { startTestTelemetry, type TestTelemetry } from './support/telemetry-harness';

it('fails at startup with a clear error when TOKENMETER_PRICING_FILE is invalid', () => {
  const path = pricingFile([{ ...housePrice, inputPerMTok: 'cheap' }]);
  expect(() =>
    setupTokenmeter({ serviceName: 'bad-prices' }, { TOKENMETER_PRICING_FILE: path }),
  ).toThrow(new RegExp(`Invalid pricing catalog ${path}: 0\\.inputPerMTok: `));
});

describe('a configured service', () => {
  let telemetry: TestTelemetry;
  beforeAll(() => {
    telemetry = startTestTelemetry(
      {
        serviceName: 'checkout',
        serviceVersion: '4.5.6',
        prices: [{ ...housePrice, model: 'code-model', inputPerMTok: 4 }],
      },
      { TOKENMETER_PRICING_FILE: pricingFile({ version: 'acme-1', entries: [housePrice] }) },
    );
  });
  afterAll(() => telemetry.shutdown());

  it('prices with the bundled catalog, the pricing file and the code overrides', async () => {
    expect(telemetry.tokenmeter.catalog.version).toMatch(
      /^genai-prices@0\.1\.8\+acme-1\+override\.[0-9a-f]{8}$/,
    );
    await traceModelCall({ provider: 'openai', requestModel: 'house-model' }, async (call) =>
      call.record({ usage: { inputTokens: 1_000_000, outputTokens: 0 } }),
    );
    await traceModelCall({ provider: 'openai', requestModel: 'code-model' }, async (call) =>
      call.record({ usage: { inputTokens: 1_000_000, outputTokens: 0 } }),
    );
    const costs = (await telemetry.finishedSpans()).map(
      (span) => span.attributes['tokenmeter.cost.usd'],
    );
    expect(costs).toEqual([1, 4]);
  });

  it('names the service and its version on the resource', async () => {
    await traceModelCall({ provider: 'openai', requestModel: 'gpt-5' }, async () => undefined);
    const span = (await telemetry.finishedSpans()).at(-1)!;
    expect(span.resource.attributes['service.name']).toBe('checkout');
    expect(span.resource.attributes['service.version']).toBe('4.5.6');
  });

  it('refuses a second setup in the same process', () => {
    expect(() => setupTokenmeter({ serviceName: 'again' }, {})).toThrow(
      'setupTokenmeter was already called in this process',
    );
  });
});
