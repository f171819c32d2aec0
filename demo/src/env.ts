/** A non-negative number from the environment variable `name`; `fallback` when unset or empty. */
export function numberFromEnv<T extends number | undefined>(
  name: string,
  fallback: T,
  options: { integer?: boolean } = {},
): number | T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const valid = options.integer ? Number.isInteger(value) : Number.isFinite(value);
  if (!valid || value < 0)
    throw new Error(
      `${name} must be a non-negative ${options.integer ? 'integer' : 'number'}, got "${raw}"`,
    );
  return value;
}
