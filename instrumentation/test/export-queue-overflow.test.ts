// A full span export queue is visible: tokenmeter.export.dropped and a console warning.
import { trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { setupTokenmeter } from '../src';
import { metricNamed, pointsOf } from './support/telemetry-harness';

/** An exporter that holds every batch until released, like a collector that stopped answering. */
class StalledExporter implements SpanExporter {
  private pending: (() => void)[] = [];
  private stalled = true;
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.stalled) this.pending.push(() => done({ code: ExportResultCode.SUCCESS }));
    else done({ code: ExportResultCode.SUCCESS });
  }
  /** Completes the exports waiting so far (later ones wait again). */
  release(): void {
    for (const finish of this.pending.splice(0)) finish();
  }
  /** Answers every export at once from now on. */
  recover(): void {
    this.stalled = false;
    this.release();
  }
  async shutdown(): Promise<void> {
    this.recover();
  }
}

it('counts and logs spans dropped because the export queue is full', async () => {
  const exporter = new StalledExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const processor = new BatchSpanProcessor(exporter, {
    maxQueueSize: 2,
    maxExportBatchSize: 1,
    scheduledDelayMillis: 1,
  });
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'overflow-test',
      httpInstrumentation: false,
      spanProcessors: [processor],
      metricReaders: [reader],
    },
    {},
  );
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const tracer = trace.getTracer('test');
    for (let i = 0; i < 12; i++) tracer.startSpan(`span ${i}`).end();
    // the exporter catches up; the processor reports the drops when a span finds room in the queue
    const reported = () => warn.mock.calls.some(([message]) => String(message).includes('Dropped'));
    for (let attempt = 0; attempt < 500 && !reported(); attempt++) {
      exporter.release();
      await new Promise((resolve) => setTimeout(resolve, 10));
      tracer.startSpan('after the stall').end();
    }
    await reader.forceFlush();
    const dropped = pointsOf(
      metricNamed(
        metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)),
        'tokenmeter.export.dropped',
      ),
    );
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.attributes).toEqual({ signal: 'traces', reason: 'queue_full' });
    expect(dropped[0]!.value).toBeGreaterThanOrEqual(8);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^\[opentelemetry\] Dropped \d+ spans because maxQueueSize reached$/),
    );
  } finally {
    warn.mockRestore();
    exporter.recover();
    await tokenmeter.shutdown();
  }
});
