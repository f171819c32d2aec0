import type { TextMapPropagator } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { IMetricReader, ViewOptions } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { PricingCatalog, type ModelPrice } from '@tokenmeter/conventions';
import { setActiveCatalog } from '../active-catalog';
import { instruments } from '../instruments';
import { installExportDiagnostics } from './export-diagnostics';
import { attachModelCallHistograms, detachModelCallHistograms } from './histogram-readers';
import { tokenmeterViews } from './views';

export interface TokenmeterOptions {
  /** service.name (the `job` label in Prometheus); default OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** service.version; default npm_package_version. */
  serviceVersion?: string;
  /** Prices that override or extend the catalog (after TOKENMETER_PRICING_FILE). */
  prices?: ModelPrice[];
  /** A whole catalog to price with instead of the bundled one (TOKENMETER_PRICING_FILE still applies). */
  catalog?: PricingCatalog;
  /** Record HTTP route performance with the official http and express instrumentations (default true). */
  httpInstrumentation?: boolean;
  /** More OpenTelemetry instrumentations to register (e.g. pg, ioredis). */
  instrumentations?: Instrumentation[];
  /** Extra views, after Tokenmeter's. */
  views?: ViewOptions[];
  /** Span processors instead of the OTLP exporter configured by OTEL_* variables (tests, custom pipelines). */
  spanProcessors?: SpanProcessor[];
  /** Metric readers instead of the OTLP exporter configured by OTEL_* variables. */
  metricReaders?: IMetricReader[];
  /** Propagator instead of OTEL_PROPAGATORS (default W3C trace context + baggage). */
  textMapPropagator?: TextMapPropagator;
}

export interface Tokenmeter {
  readonly catalog: PricingCatalog;
  readonly sdk: NodeSDK;
  /** Exports everything still buffered, then stops the SDK. */
  shutdown(): Promise<void>;
}

let current: Tokenmeter | undefined;

function catalogFor(options: TokenmeterOptions, env: NodeJS.ProcessEnv): PricingCatalog {
  let catalog = options.catalog ?? PricingCatalog.load();
  const file = PricingCatalog.overrideFileFromEnv(env);
  if (file) catalog = catalog.withOverridesFrom(file);
  if (options.prices && options.prices.length > 0) catalog = catalog.withOverrides(options.prices);
  return catalog;
}

/**
 * Starts OpenTelemetry for a service: OTLP/HTTP (protobuf) export of traces and metrics configured
 * by the standard OTEL_* variables, Tokenmeter's metric views, W3C trace-context and baggage
 * propagation, HTTP route metrics and the pricing catalog. Call it before loading express or http
 * servers. Invalid pricing input throws here, at startup.
 */
export function setupTokenmeter(
  options: TokenmeterOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Tokenmeter {
  if (current)
    throw new Error(
      'setupTokenmeter was already called in this process; call shutdown() on the returned object first',
    );
  const catalog = catalogFor(options, env);
  const version = options.serviceVersion ?? env.npm_package_version;
  const resourceAttributes: Record<string, string> = {};
  if (options.serviceName) resourceAttributes[ATTR_SERVICE_NAME] = options.serviceName;
  if (version) resourceAttributes[ATTR_SERVICE_VERSION] = version;

  const instrumentations: Instrumentation[] = [...(options.instrumentations ?? [])];
  if (options.httpInstrumentation !== false)
    instrumentations.push(new HttpInstrumentation(), new ExpressInstrumentation());

  const sdk = new NodeSDK({
    resource: defaultResource().merge(resourceFromAttributes(resourceAttributes)),
    instrumentations,
    views: [...tokenmeterViews(), ...(options.views ?? [])],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    ...(options.metricReaders ? { metricReaders: options.metricReaders } : {}),
    ...(options.textMapPropagator ? { textMapPropagator: options.textMapPropagator } : {}),
    // Logs stay off unless asked for: the Tokenmeter Collector pipeline takes traces and metrics.
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  installExportDiagnostics(env);
  attachModelCallHistograms(sdk, options.metricReaders, options.views ?? []);
  sdk.start();
  // the cost counter is observed on the SDK's MeterProvider from the start (model calls with
  // aggregated histograms never look the provider up)
  instruments();
  setActiveCatalog(catalog);

  let stopped: Promise<void> | undefined;
  const tokenmeter: Tokenmeter = {
    catalog,
    sdk,
    shutdown() {
      stopped ??= sdk.shutdown().finally(() => {
        if (current === tokenmeter) current = undefined;
        detachModelCallHistograms();
        setActiveCatalog(undefined);
      });
      return stopped;
    },
  };
  current = tokenmeter;
  return tokenmeter;
}
