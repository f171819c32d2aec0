import {
  metrics,
  type BatchObservableResult,
  type MeterProvider,
  type ObservableGauge,
} from '@opentelemetry/api';
import { METER_NAME } from '../instruments';
import {
  ATTR_TOKENMETER_HEALTH_COMPONENT,
  METRIC_TOKENMETER_HEALTH_LAST_CHECK,
  METRIC_TOKENMETER_HEALTH_STATUS,
} from '@tokenmeter/conventions';

/** A dependency check: resolves when healthy, throws (or rejects) when not. */
export type HealthCheck = () => Promise<unknown> | unknown;

export interface ComponentHealth {
  component: string;
  status: 'up' | 'down' | 'unknown';
  checkedAt?: string;
  durationMs?: number;
  error?: string;
}

export interface HealthReport {
  status: 'up' | 'down' | 'unknown';
  checkedAt?: string;
  components: ComponentHealth[];
}

export interface HealthRegistryOptions {
  /** How long one check may take before it counts as down (default 5000 ms). */
  timeoutMs?: number;
}

interface Registered {
  check: HealthCheck;
  last: ComponentHealth;
}

function withTimeout(check: HealthCheck, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(check), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Named async checks of a service's dependencies (database, Redis, external APIs, the model
 * provider), run on an interval, exported as the gauges tokenmeter.health.status (1 up, 0 down)
 * and tokenmeter.health.last_check (Unix time of the check itself, s), and served as JSON by
 * `handler()`.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, Registered>();
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<HealthReport> | undefined;
  private gauge: { provider: MeterProvider; gauge: ObservableGauge } | undefined;
  private lastRunAt: string | undefined;

  constructor(options: HealthRegistryOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    if (!(this.timeoutMs > 0))
      throw new RangeError(`HealthRegistry: timeoutMs must be > 0, got ${options.timeoutMs}`);
  }

  /** Adds a named check; the name becomes the tokenmeter.health.component label. */
  register(component: string, check: HealthCheck): this {
    if (typeof component !== 'string' || component.trim() === '')
      throw new TypeError('HealthRegistry.register: component must be a non-empty string');
    if (typeof check !== 'function')
      throw new TypeError(`HealthRegistry.register: the check of ${component} must be a function`);
    if (this.checks.has(component))
      throw new Error(`HealthRegistry.register: ${component} is already registered`);
    this.checks.set(component, { check, last: { component, status: 'unknown' } });
    this.observeGauge();
    return this;
  }

  /** Runs every check now (concurrent runs share one round) and returns the report. */
  runChecks(): Promise<HealthReport> {
    this.observeGauge();
    this.running ??= this.runRound().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs the checks now and then every `intervalMs` until stop(). */
  start(intervalMs = 30_000): this {
    if (!(intervalMs > 0))
      throw new RangeError(`HealthRegistry.start: intervalMs must be > 0, got ${intervalMs}`);
    this.stop();
    void this.runChecks();
    this.timer = setInterval(() => void this.runChecks(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The latest results without running anything. */
  report(): HealthReport {
    const components = [...this.checks.values()].map((entry) => ({ ...entry.last }));
    let status: HealthReport['status'] = 'up';
    if (components.some((c) => c.status === 'down')) status = 'down';
    else if (components.length === 0 || components.some((c) => c.status === 'unknown'))
      status = 'unknown';
    return { status, checkedAt: this.lastRunAt, components };
  }

  /**
   * An Express (or plain Node http) handler answering the latest report as JSON: 200 when every
   * component is up, 503 otherwise. With `?refresh=1` it runs the checks first.
   */
  handler(): (req: { url?: string }, res: HealthResponse) => void {
    return (req, res) => {
      const refresh = typeof req.url === 'string' && /[?&]refresh=(1|true)\b/.test(req.url);
      const answer = (report: HealthReport): void => {
        res.statusCode = report.status === 'up' ? 200 : 503;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(report));
      };
      if (refresh) void this.runChecks().then(answer);
      else answer(this.report());
    };
  }

  private async runRound(): Promise<HealthReport> {
    await Promise.all(
      [...this.checks.entries()].map(async ([component, entry]) => {
        const started = performance.now();
        try {
          await withTimeout(entry.check, this.timeoutMs);
          entry.last = {
            component,
            status: 'up',
            checkedAt: new Date().toISOString(),
            durationMs: Math.round(performance.now() - started),
          };
        } catch (error) {
          entry.last = {
            component,
            status: 'down',
            checkedAt: new Date().toISOString(),
            durationMs: Math.round(performance.now() - started),
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }),
    );
    this.lastRunAt = new Date().toISOString();
    return this.report();
  }

  /** (Re)creates the observable gauge on the current global MeterProvider. */
  private observeGauge(): void {
    const provider = metrics.getMeterProvider();
    if (this.gauge?.provider === provider) return;
    const meter = provider.getMeter(METER_NAME);
    const gauge = meter.createObservableGauge(METRIC_TOKENMETER_HEALTH_STATUS, {
      description:
        'Health of a dependency: 1 up, 0 down (components not yet checked are not reported)',
      // Not '1': the Collector's Prometheus exporter turns that unit into a `_ratio` suffix, and the
      // contract name is tokenmeter_health_status.
      unit: '{status}',
    });
    const lastCheck = meter.createObservableGauge(METRIC_TOKENMETER_HEALTH_LAST_CHECK, {
      description: 'Unix time of the last completed check of a dependency, up or down',
      unit: 's',
    });
    meter.addBatchObservableCallback(
      (result: BatchObservableResult) => {
        for (const { last } of this.checks.values()) {
          if (last.status === 'unknown' || last.checkedAt === undefined) continue;
          const attributes = { [ATTR_TOKENMETER_HEALTH_COMPONENT]: last.component };
          result.observe(gauge, last.status === 'up' ? 1 : 0, attributes);
          result.observe(lastCheck, Date.parse(last.checkedAt) / 1000, attributes);
        }
      },
      [gauge, lastCheck],
    );
    this.gauge = { provider, gauge };
  }
}

/** The part of an HTTP response the handler uses (Express and node:http responses have it). */
export interface HealthResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}
