// Attribution set in one service reaches model calls in another through W3C baggage.
import { context, propagation, trace } from '@opentelemetry/api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentAttribution, traceModelCall, withAttribution } from '../src';
import { useTestTelemetry } from './support/telemetry-harness';

const telemetry = useTestTelemetry();
let downstream: Server;
let downstreamUrl: string;

beforeAll(async () => {
  // the downstream service extracts the incoming context, as the http instrumentation does
  downstream = createServer((req, res) => {
    const incoming = propagation.extract(context.active(), req.headers);
    void context.with(incoming, () =>
      traceModelCall({ provider: 'openai', requestModel: 'gpt-4.1-mini' }, async (call) => {
        call.record({ usage: { inputTokens: 10, outputTokens: 5 } });
        res.end(JSON.stringify(currentAttribution()));
      }),
    );
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => downstream.close(resolve));
});

async function callDownstream(): Promise<unknown> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  const response = await fetch(downstreamUrl, { headers });
  return response.json();
}

it('carries user, prompt, plan and billing mode to model calls in the next service', async () => {
  const tracer = trace.getTracer('test');
  const seen = await tracer.startActiveSpan('upstream request', async (upstream) => {
    const result = await withAttribution(
      { userId: 'user-7', promptName: 'recommend', plan: 'free', billingMode: 'byok' },
      callDownstream,
    );
    upstream.end();
    return result;
  });
  expect(seen).toEqual({
    userId: 'user-7',
    promptName: 'recommend',
    plan: 'free',
    billingMode: 'byok',
  });
  const spans = await telemetry.finishedSpans();
  const modelSpan = spans.find((span) => span.name === 'chat gpt-4.1-mini')!;
  const upstreamSpan = spans.find((span) => span.name === 'upstream request')!;
  expect(modelSpan.spanContext().traceId).toBe(upstreamSpan.spanContext().traceId);
  expect(modelSpan.attributes).toMatchObject({
    'enduser.id': 'user-7',
    'tokenmeter.prompt.name': 'recommend',
    'tokenmeter.plan': 'free',
    'tokenmeter.billing.mode': 'byok',
  });
});

it('lets inner attribution refine outer attribution', () => {
  const inner = withAttribution({ userId: 'user-1', plan: 'pro' }, () =>
    withAttribution({ promptName: 'summary' }, () => currentAttribution()),
  );
  expect(inner).toEqual({ userId: 'user-1', plan: 'pro', promptName: 'summary' });
});

it('rejects invalid attribution with a clear error before running the code', () => {
  const fn = jest.fn();
  expect(() => withAttribution({ plan: 'gold' as 'pro' }, fn)).toThrow(
    'withAttribution: plan must be one of free, pro, got "gold"',
  );
  expect(() => withAttribution({ billingMode: 'card' as 'byok' }, fn)).toThrow(
    'withAttribution: billingMode must be one of system, byok',
  );
  expect(() => withAttribution({ userId: '' }, fn)).toThrow(
    'withAttribution: userId must be a non-empty string',
  );
  expect(fn).not.toHaveBeenCalled();
});

it('ignores invalid plan or billing mode values arriving from another service', () => {
  const baggage = propagation.createBaggage({
    'tokenmeter.plan': { value: 'gold' },
    'tokenmeter.billing.mode': { value: 'card' },
    'enduser.id': { value: 'u' },
  });
  expect(currentAttribution(propagation.setBaggage(context.active(), baggage))).toEqual({
    userId: 'u',
  });
});
