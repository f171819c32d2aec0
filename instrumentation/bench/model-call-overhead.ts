// The generic wrapper alone: traceModelCall against a bare span with two histogram records (see
// support/model-call-vs-bare.ts). Run: npm run bench:model-call -w instrumentation. The last line
// is JSON: {"wrapper_us", "bare_us", "ratio"}. The side-by-side comparison with the peer OpenAI
// instrumentations is openai-peers.ts (npm run bench -w instrumentation).
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setupTokenmeter } from '@tokenmeter/instrumentation';
import { DiscardingExporter } from './support/measure';
import { measureModelCallVsBare, modelCallVsBareJson } from './support/model-call-vs-bare';

async function main(): Promise<void> {
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'tokenmeter-bench',
      httpInstrumentation: false,
      spanProcessors: [
        new BatchSpanProcessor(new DiscardingExporter(), { scheduledDelayMillis: 20 }),
      ],
      metricReaders: [
        new PeriodicExportingMetricReader({
          exporter: new DiscardingExporter(),
          exportIntervalMillis: 1000,
        }),
      ],
    },
    {},
  );
  const result = await measureModelCallVsBare(9, 20_000);
  for (const line of result.report) console.log(line);
  console.log(modelCallVsBareJson(result));
  await tokenmeter.shutdown();
}

void main();
