import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The sink's own metrics, served in Prometheus text format on GET /metrics. */
export class SinkMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'tokenmeter_sink_requests_total',
    help: 'OTLP export requests received, by HTTP status code answered',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly spansAccepted = new Counter({
    name: 'tokenmeter_sink_spans_accepted_total',
    help: 'Model-call spans committed to the ledger (redelivered ones included)',
    registers: [this.registry],
  });
  readonly spansRejected = new Counter({
    name: 'tokenmeter_sink_spans_rejected_total',
    help: 'Spans refused (reported to the sender as OTLP partial success), by reason: invalid_id, invalid_time, invalid_attribute, invalid_span, unmappable_span, refused_by_database',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly spansIgnored = new Counter({
    name: 'tokenmeter_sink_spans_ignored_total',
    help: 'Spans that are not billed model calls in any GenAI dialect (no operation name, or agent, workflow, chain and tool spans)',
    registers: [this.registry],
  });
  readonly attributesDropped = new Counter({
    name: 'tokenmeter_sink_attributes_dropped_total',
    help: 'Span attributes of stored calls left out of the ledger, by reason: content (message content in some GenAI dialect), not_allowed (not on the allow-list of stored attributes)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly rowsWritten = new Counter({
    name: 'tokenmeter_sink_rows_written_total',
    help: 'Rows inserted into tokenmeter.llm_calls (a redelivered span inserts none)',
    registers: [this.registry],
  });
  readonly batchDuration = new Histogram({
    name: 'tokenmeter_sink_batch_duration_seconds',
    help: 'Time to write one request batch to PostgreSQL (insert and rollup, one transaction)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly databaseUp = new Gauge({
    name: 'tokenmeter_sink_database_up',
    help: '1 when the last use of PostgreSQL succeeded, 0 when it failed',
    registers: [this.registry],
  });

  constructor(options: { processMetrics: boolean }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'tokenmeter_sink_' });
  }
}
