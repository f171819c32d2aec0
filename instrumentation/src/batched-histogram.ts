import type { Attributes, Context, Histogram } from '@opentelemetry/api';

// Data points kept before they are handed to the SDK together. Bounded: at this many the batch is
// recorded at once; otherwise it is recorded when the metrics are collected.
const BATCH_SIZE = 128;

/**
 * A histogram whose data points reach the SDK instrument in batches: record() keeps the value,
 * its labels and its context; flush() records them, in order, on the SDK histogram, so the SDK's
 * Views (buckets, label allow-list) and the metric names apply exactly as to a direct record.
 * Recording a batch in one go costs the SDK much less than the same records spread over calls,
 * each of which finds the SDK's code and series maps cold. Flushed before every collection
 * (flushBeforeCollection) and whenever BATCH_SIZE points are waiting.
 */
export class BatchedHistogram {
  private values: number[] = [];
  private labels: Attributes[] = [];
  private contexts: (Context | undefined)[] = [];

  constructor(private readonly target: Histogram) {}

  record(value: number, labels: Attributes, context?: Context): void {
    this.values.push(value);
    this.labels.push(labels);
    this.contexts.push(context);
    if (this.values.length >= BATCH_SIZE) this.flush();
  }

  flush(): void {
    const { values, labels, contexts } = this;
    if (values.length === 0) return;
    this.values = [];
    this.labels = [];
    this.contexts = [];
    for (let i = 0; i < values.length; i++) this.target.record(values[i]!, labels[i], contexts[i]);
  }
}
