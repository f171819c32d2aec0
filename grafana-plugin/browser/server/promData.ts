// Loads the known Prometheus series into a real Prometheus: an OpenMetrics file written from the
// catalog's metric and label names, turned into TSDB blocks by promtool, served by prometheus.
import { PROM_LABELS as L, PROM_METRICS as M, RECORDED as R, SCRAPE_JOBS } from '@tokenmeter/provisioning/queries';
import { startBackfilledPrometheus, type BackfilledPrometheus } from '@tokenmeter/test-support';
import { PROM_KNOWN, SERVICE } from './dataset';

const STEP_S = 15;
const BUCKETS = [0.05, 0.1, 0.5, 1, 2, 5];

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',')}}`;
}

/** The window of dense samples: from 3 hours before `now` to an hour after it. */
function windowStartS(now: Date): number {
  return Math.floor(now.getTime() / 1000) - 3 * 3600;
}

/** The 30 days before the window, drawn by the Models page's charts over their 30-day axis. */
const HISTORY_DAYS = 30;
/** Inside Prometheus's 5-minute lookback, so that every step of a range query finds a sample. */
const HISTORY_STEP_S = 240;

function historyStartS(now: Date): number {
  return windowStartS(now) - HISTORY_DAYS * 86_400;
}

/** The samples at `times` as OpenMetrics lines, one family after the other. */
function metricsWriter(times: number[]) {
  const lines: string[] = [];
  return {
    lines,
    family: (name: string, type: 'counter' | 'gauge' | 'histogram') => lines.push(`# TYPE ${name} ${type}`),
    gauge: (name: string, labels: Labels, value: number) => {
      for (const t of times) {
        lines.push(`${name}${labelText(labels)} ${value} ${t}`);
      }
    },
  };
}

const llmLabels = (series: (typeof PROM_KNOWN.llmRequests)[number]): Labels => ({
  [L.service]: SERVICE,
  [L.model]: series.model,
  [L.operation]: 'chat',
  [L.provider]: 'openai',
  [L.billingMode]: series.billingMode,
  [L.plan]: series.plan,
  ...(series.errorType ? { [L.errorType]: series.errorType } : {}),
});

/** Streamed calls' time to first chunk at `times`: a counter growing at a steady rate since the history began. */
function timeToFirstChunk(writer: ReturnType<typeof metricsWriter>, times: number[], now: Date): void {
  const since = historyStartS(now);
  writer.family(M.timeToFirstChunk, 'histogram');
  const labels = llmLabels(PROM_KNOWN.llmRequests[0]!);
  for (const t of times) {
    const calls = Math.max(t - since, 0) * PROM_KNOWN.timeToFirstChunk.callsPerSecond;
    for (const [le, share] of PROM_KNOWN.timeToFirstChunk.bucketShares) {
      writer.lines.push(`${M.timeToFirstChunk}_bucket${labelText({ ...labels, le })} ${calls * share} ${t}`);
    }
    writer.lines.push(`${M.timeToFirstChunk}_count${labelText(labels)} ${calls} ${t}`);
    writer.lines.push(`${M.timeToFirstChunk}_sum${labelText(labels)} ${calls * 0.2} ${t}`);
  }
}

/** What provisioning/prometheus/rules would record for the model calls, at `times`. */
function recordedLlmRates(writer: ReturnType<typeof metricsWriter>): void {
  const { family, gauge } = writer;
  family(R.llmRequestRate, 'gauge');
  for (const series of PROM_KNOWN.llmRequests.filter((s) => !s.errorType)) {
    gauge(R.llmRequestRate, llmLabels(series), series.count / 3600);
  }
  family(R.llmErrorRate, 'gauge');
  for (const series of PROM_KNOWN.llmRequests.filter((s) => s.errorType)) {
    gauge(R.llmErrorRate, llmLabels(series), series.count / 3600);
  }
  family(R.llmDurationBucketRate, 'gauge');
  for (const series of PROM_KNOWN.llmRequests) {
    for (const le of [...BUCKETS.map(String), '+Inf']) {
      const inBucket = le === '+Inf' || series.seconds <= Number(le);
      gauge(R.llmDurationBucketRate, { ...llmLabels(series), le }, inBucket ? series.count / 3600 : 0);
    }
  }
  family(R.llmCostRate, 'gauge');
  for (const series of PROM_KNOWN.llmRequests) {
    gauge(R.llmCostRate, llmLabels(series), (series.count * 0.01) / 3600);
  }
}

/**
 * The history before the window, one OpenMetrics text a day: the model-call rates, latency and
 * time to first chunk the Models page charts, every HISTORY_STEP_S.
 */
export function historyOpenMetrics(now: Date): string[] {
  const end = windowStartS(now);
  const days: string[] = [];
  for (let day = historyStartS(now); day < end; day += 86_400) {
    const times: number[] = [];
    for (let t = day; t < Math.min(day + 86_400, end); t += HISTORY_STEP_S) {
      times.push(t);
    }
    const writer = metricsWriter(times);
    timeToFirstChunk(writer, times, now);
    recordedLlmRates(writer);
    writer.lines.push('# EOF');
    days.push(`${writer.lines.join('\n')}\n`);
  }
  return days;
}

/** Writes OpenMetrics: counters are 0 until `jumpAt`, then their known value; gauges are constant. */
export function openMetrics(now: Date): string {
  const start = windowStartS(now);
  const end = Math.floor(now.getTime() / 1000) + 3600;
  const jumpAt = Math.floor(now.getTime() / 1000) - 40 * 60;
  const times: number[] = [];
  for (let t = start; t <= end; t += STEP_S) {
    times.push(t);
  }
  const writer = metricsWriter(times);
  const { lines, family, gauge } = writer;
  const valueAt = (t: number, value: number) => (t >= jumpAt ? value : 0);

  const histogram = (name: string, labels: Labels, count: number, seconds: number) => {
    for (const t of times) {
      const n = valueAt(t, count);
      for (const le of BUCKETS) {
        lines.push(`${name}_bucket${labelText({ ...labels, le: String(le) })} ${seconds <= le ? n : 0} ${t}`);
      }
      lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${n} ${t}`);
      lines.push(`${name}_count${labelText(labels)} ${n} ${t}`);
      lines.push(`${name}_sum${labelText(labels)} ${n * seconds} ${t}`);
    }
  };
  const counter = (sample: string, labels: Labels, value: number) => {
    for (const t of times) {
      lines.push(`${sample}${labelText(labels)} ${valueAt(t, value)} ${t}`);
    }
  };
  const job = { [L.service]: SERVICE };

  family(M.httpDuration, 'histogram');
  for (const route of PROM_KNOWN.routes) {
    histogram(M.httpDuration, { ...job, [L.httpRoute]: route.route, [L.httpStatus]: '200' }, route.ok, route.seconds);
    if (route.serverErrors > 0) {
      histogram(M.httpDuration, { ...job, [L.httpRoute]: route.route, [L.httpStatus]: '500' }, route.serverErrors, route.seconds);
    }
  }

  family(M.llmDuration, 'histogram');
  for (const series of PROM_KNOWN.llmRequests) {
    histogram(M.llmDuration, llmLabels(series), series.count, series.seconds);
  }

  family(M.events.replace(/_total$/, ''), 'counter');
  for (const event of PROM_KNOWN.events) {
    counter(M.events, { ...job, [L.eventName]: event.name, [L.eventType]: event.type }, event.count);
  }

  family(M.cacheRequests.replace(/_total$/, ''), 'counter');
  counter(M.cacheRequests, { ...job, [L.cacheName]: 'recommendations', [L.cacheResult]: 'hit' }, PROM_KNOWN.cache.hit);
  counter(M.cacheRequests, { ...job, [L.cacheName]: 'recommendations', [L.cacheResult]: 'miss' }, PROM_KNOWN.cache.miss);

  family(M.healthStatus, 'gauge');
  for (const check of PROM_KNOWN.health) {
    gauge(M.healthStatus, { ...job, [L.healthComponent]: check.component }, check.up);
  }
  // Each component's last check, as the instrumentation records it (Unix seconds).
  family(M.healthLastCheck, 'gauge');
  for (const check of PROM_KNOWN.health) {
    const checkedAt = Math.floor(now.getTime() / 1000) - PROM_KNOWN.lastCheckMinutesAgo * 60;
    gauge(M.healthLastCheck, { ...job, [L.healthComponent]: check.component }, checkedAt);
  }

  // Time to first chunk of streamed calls, at a steady rate (a growing counter).
  timeToFirstChunk(writer, times, now);

  family('up', 'gauge');
  for (const scrapeJob of Object.values(SCRAPE_JOBS)) {
    gauge('up', { job: scrapeJob }, 1);
  }
  family(M.sinkDatabaseUp, 'gauge');
  gauge(M.sinkDatabaseUp, { job: SCRAPE_JOBS.sink }, 1);

  // What provisioning/prometheus/rules would record, over the whole window.
  recordedLlmRates(writer);
  family(R.httpRequestRate, 'gauge');
  for (const route of PROM_KNOWN.routes) {
    gauge(R.httpRequestRate, { ...job, [L.httpRoute]: route.route }, (route.ok + route.serverErrors) / 3600);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** A real Prometheus serving the known series and their 30-day history (promtool backfill). */
export function startPrometheus(now: Date): Promise<BackfilledPrometheus> {
  return startBackfilledPrometheus({ openMetrics: [openMetrics(now), ...historyOpenMetrics(now)] });
}
