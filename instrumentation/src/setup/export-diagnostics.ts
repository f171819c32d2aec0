import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { instruments } from '../instruments';

// The batch span processor drops spans silently when its queue is full, except for this warning
// (sdk-trace 2.x). Tokenmeter turns it into the tokenmeter.export.dropped counter and the console.
const DROPPED_SPANS = /Dropped (\d+) spans because maxQueueSize reached/;

function countDropped(message: string): void {
  const match = DROPPED_SPANS.exec(message);
  if (match)
    instruments().exportDropped.add(Number(match[1]), { signal: 'traces', reason: 'queue_full' });
}

class ExportDiagnosticsLogger implements DiagLogger {
  error(message: string, ...args: unknown[]): void {
    console.error(`[opentelemetry] ${message}`, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    countDropped(message);
    console.warn(`[opentelemetry] ${message}`, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    console.info(`[opentelemetry] ${message}`, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    console.debug(`[opentelemetry] ${message}`, ...args);
  }
  verbose(message: string, ...args: unknown[]): void {
    console.debug(`[opentelemetry] ${message}`, ...args);
  }
}

/** Makes OpenTelemetry's own warnings visible (level OTEL_LOG_LEVEL, default warn) and counts dropped spans. */
export function installExportDiagnostics(env: NodeJS.ProcessEnv = process.env): void {
  const level = env.OTEL_LOG_LEVEL
    ? (diagLogLevelFromString(env.OTEL_LOG_LEVEL) ?? DiagLogLevel.WARN)
    : DiagLogLevel.WARN;
  diag.setLogger(new ExportDiagnosticsLogger(), { logLevel: level, suppressOverrideMessage: true });
}
