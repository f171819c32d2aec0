import { InstrumentType, type IMetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { histogramAggregation, METER_NAME } from '../instruments';
import { MODEL_CALL_HISTOGRAMS } from '../histograms/histogram-definitions';

/** Whether a View's instrument-name pattern (`*` and `?` wildcards, as in the SDK) matches `name`. */
function patternMatches(pattern: string, name: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name);
}

/** Whether `view` could select one of the model-call histograms (then the SDK must record them). */
export function viewMaySelectModelCallHistograms(view: ViewOptions): boolean {
  if (view.meterName != null && view.meterName !== METER_NAME) return false;
  if (view.meterVersion != null || view.meterSchemaUrl != null) return false;
  if (view.instrumentType != null && view.instrumentType !== InstrumentType.HISTOGRAM) return false;
  return MODEL_CALL_HISTOGRAMS.some(
    (h) =>
      (view.instrumentName == null || patternMatches(view.instrumentName, h.name)) &&
      (view.instrumentUnit == null || view.instrumentUnit === h.unit),
  );
}

/**
 * The metric readers the SDK will bind: the caller's, or those NodeSDK built from OTEL_* variables
 * (kept in its configuration until start(); read there because NodeSDK has no accessor for them).
 */
function readersOf(sdk: NodeSDK, given: IMetricReader[] | undefined): IMetricReader[] {
  if (given) return given;
  const config = (sdk as unknown as { _meterProviderConfig?: { readers?: unknown } })
    ._meterProviderConfig;
  return Array.isArray(config?.readers) ? (config.readers as IMetricReader[]) : [];
}

/**
 * Makes the readers of `sdk` report the model-call histograms that Tokenmeter aggregates itself
 * (src/histograms), unless a service's own View could select them: then, as when a reader cannot
 * be found, the histograms are recorded on the SDK's instruments. Call before sdk.start().
 */
export function attachModelCallHistograms(
  sdk: NodeSDK,
  readers: IMetricReader[] | undefined,
  userViews: readonly ViewOptions[],
): void {
  if (userViews.some(viewMaySelectModelCallHistograms)) return;
  for (const reader of readersOf(sdk, readers)) {
    if (typeof reader?.setMetricProducer === 'function') histogramAggregation.attach(reader);
  }
}

/** After the SDK shut down: the histograms go to the SDK's instruments again. */
export function detachModelCallHistograms(): void {
  histogramAggregation.detachAll();
}
