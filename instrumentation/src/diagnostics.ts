// How the package reports its own problems: never by throwing into the caller, always visibly.

export type WarnFn = (message: string) => void;

let warn: WarnFn = (message) => console.warn(`[tokenmeter] ${message}`);
const warnedKeys = new Set<string>();
const MAX_WARNED_KEYS = 10_000;

export function setWarnHandler(handler: WarnFn): void {
  warn = handler;
}

export function warnTokenmeter(message: string): void {
  try {
    warn(message);
  } catch {
    // a failing log sink must not break the caller either
  }
}

/** Logs a message the first time `key` is seen (e.g. once per unpriced model). */
export function warnOnce(key: string, message: string): void {
  if (warnedKeys.has(key)) return;
  if (warnedKeys.size >= MAX_WARNED_KEYS) warnedKeys.clear();
  warnedKeys.add(key);
  warnTokenmeter(message);
}

/** Reports a failure inside the instrumentation itself; the instrumented code carries on. */
export function reportInternalError(where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  warnOnce(
    `internal:${where}:${error instanceof Error ? error.message : String(error)}`,
    `instrumentation error in ${where} (the call itself is unaffected): ${detail}`,
  );
}

/** For tests: forget which messages were already logged. */
export function resetWarnings(): void {
  warnedKeys.clear();
}
