// What the benchmarks share: an exporter that discards, CPU time per call of a batch of calls,
// medians.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Accepts and discards everything: the benchmarks measure the caller's cost, not the network. */
export class DiscardingExporter implements SpanExporter, PushMetricExporter {
  export(_items: ReadableSpan[] | ResourceMetrics, done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

// Lets the batch span processor and the metric reader run between calls, as in a real service.
const YIELD_EVERY = 256;

export interface RoundTime {
  /** CPU time of this process per call: what the figures use, as other load on the machine barely moves it. */
  cpuUs: number;
  wallUs: number;
}

/**
 * Runs `calls` calls one after the other and returns the CPU and wall time per call. With
 * `settle` (e.g. exporting what is buffered), the round starts settled and settles again inside
 * its timed window: it pays for its own exports and for nobody else's.
 */
export async function timeRound(
  call: () => Promise<unknown>,
  calls: number,
  settle?: () => Promise<void>,
): Promise<RoundTime> {
  await settle?.();
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    await call();
    if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await settle?.();
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpuUs: (cpu.user + cpu.system) / calls,
    wallUs: Number(process.hrtime.bigint() - wallStart) / 1000 / calls,
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const round2 = (value: number): number => Math.round(value * 100) / 100;
