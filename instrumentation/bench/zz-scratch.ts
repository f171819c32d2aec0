import { SpanKind, metrics, trace, context, type Histogram } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { setupTokenmeter, traceModelCall, withAttribution } from '@tokenmeter/instrumentation';
import { startModelCall } from '../src/model-call/model-call';
import { activeCatalog } from '../src/pricing/active-catalog';
import { instruments } from '../src/instruments';
import * as sc from '../src/semconv';
import { currentAttribution } from '../src/attribution';
class D implements SpanExporter, PushMetricExporter {
  export(_i: ReadableSpan[] | ResourceMetrics, done: (r: ExportResult) => void): void { done({ code: ExportResultCode.SUCCESS }); }
  async forceFlush() {}
  async shutdown() {}
}
const N = 20000;
async function round(call: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  for (let i = 0; i < N; i++) { await call(); if (i % 256 === 0) await new Promise((r) => setImmediate(r)); }
  const u = process.cpuUsage(c); return (u.user + u.system) / N;
}
const labels = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'tokenmeter.billing.mode': 'system', 'tokenmeter.plan': 'pro', 'tokenmeter.prompt.name': 'bench' };
const answer = { model: 'gpt-4o-mini-2024-07-18', usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 200 } };
const fn = async () => answer;
const cached7 = { ...labels, 'gen_ai.token.type': 'input' };
async function main() {
  setupTokenmeter({ serviceName: 'b', httpInstrumentation: false, spanProcessors: [new BatchSpanProcessor(new D(), { scheduledDelayMillis: 20 })], metricReaders: [new PeriodicExportingMetricReader({ exporter: new D(), exportIntervalMillis: 1000 })] }, {});
  const m = metrics.getMeter('x');
  const h1: Histogram = m.createHistogram('x.d'); const h2: Histogram = m.createHistogram('x.t');
  const tr = trace.getTracer('x');
  const cat = activeCatalog();
  const inst = instruments();
  const variants: Record<string, () => Promise<unknown>> = {
    empty: async () => { await fn(); },
    bare: async () => { const s = tr.startSpan('n', { kind: SpanKind.CLIENT, attributes: labels }); await fn(); s.end(); h1.record(1, labels); h2.record(2, labels); },
    spanOnly: async () => { const s = tr.startSpan('n', { kind: SpanKind.CLIENT, attributes: labels }); await fn(); s.end(); },
    oneRecord: async () => { await fn(); h1.record(1, labels); },
    oneRecordView: async () => { await fn(); inst.operationDuration.record(1, labels); },
    recordComputed: async () => { await fn(); const l = { [sc.ATTR_GEN_AI_OPERATION_NAME]: 'chat', [sc.ATTR_GEN_AI_PROVIDER_NAME]: 'openai', [sc.ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini', [sc.ATTR_TOKENMETER_BILLING_MODE]: 'system', [sc.ATTR_TOKENMETER_PLAN]: 'pro' } as Record<string, string>; l[sc.ATTR_TOKENMETER_PROMPT_NAME] = 'bench'; h1.record(1, l); },
    recordSpread: async () => { await fn(); h1.record(1, { ...labels, 'gen_ai.token.type': 'input' }); },
    recordCached7: async () => { await fn(); h1.record(1, cached7); },
    recordFresh7Literal: async () => { await fn(); h1.record(1, { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'tokenmeter.billing.mode': 'system', 'tokenmeter.plan': 'pro', 'tokenmeter.prompt.name': 'bench', 'gen_ai.token.type': 'input' }); },
    attribution: async () => { await fn(); currentAttribution(); },
    setSpan: async () => { await fn(); trace.setSpan(context.active(), trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '1'.repeat(16), traceFlags: 1 })); },
    spanStartEnd8: async () => { const s = tr.startSpan('n', { kind: SpanKind.CLIENT, attributes: { ...labels, 'enduser.id': 'u' } }, context.active()); await fn(); s.setAttributes({ 'gen_ai.response.model': 'x', 'gen_ai.usage.input_tokens': 1, 'gen_ai.usage.output_tokens': 2, 'gen_ai.usage.cache_read.input_tokens': 3, 'gen_ai.usage.reasoning.output_tokens': 4, 'tokenmeter.cost.usd': 0.1, 'tokenmeter.pricing.version': 'v' }); s.end(); },
    ctxWith: async () => { await context.with(context.active(), fn); },
    nowDate: async () => { await fn(); performance.now(); Date.now(); new Date(); },
    price: async () => { await fn(); cat.price('openai', 'gpt-4o-mini', answer.usage, new Date()); },
    startEndNoUsage: async () => { const c = startModelCall({ provider: 'openai', requestModel: 'gpt-4o-mini' })!; await fn(); c.end(); },
    startEndUsage: async () => { const c = startModelCall({ provider: 'openai', requestModel: 'gpt-4o-mini' })!; const r = await fn(); c.record({ usage: r.usage }); c.end(); },
    full: () => traceModelCall({ provider: 'openai', requestModel: 'gpt-4o-mini' }, fn, { outcome: (r) => ({ responseModel: r.model, usage: r.usage }) }),
  };
  await withAttribution({ userId: 'u', promptName: 'bench' }, async () => {
    for (const v of Object.values(variants)) await round(v);
    const res: Record<string, number[]> = {};
    for (let k = 0; k < 3; k++) for (const [name, v] of Object.entries(variants)) (res[name] ??= []).push(await round(v));
    for (const [n, r] of Object.entries(res)) console.log(n.padEnd(18), r.map((x) => x.toFixed(1)).join(' '));
  });
  process.exit(0);
}
void main();
