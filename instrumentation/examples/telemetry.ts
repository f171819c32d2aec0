// Load this before anything else (first import of the service): it instruments http and express
// as they load. Configuration comes from the standard OTEL_* variables, e.g.
// OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 (the Tokenmeter Collector).
import { setupTokenmeter } from '@tokenmeter/instrumentation';

export const tokenmeter = setupTokenmeter({ serviceName: 'recommendation-api' });
