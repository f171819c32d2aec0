// A setting read from the environment: its variable, its default and what it means, declared once
// and read by one function, so that the code, the README tables and the error messages agree.

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Setting<T> {
  /** The environment variable (the first of `alternatives` wins when several are accepted). */
  variable: string;
  /** Further variables read when `variable` is unset, in order. */
  alternatives?: readonly string[];
  /** The value when unset or empty; undefined when the setting has none. */
  default: T | undefined;
  meaning: string;
  read(env: Environment): T;
}

/** The raw value of the first of the setting's variables that is set and not blank. */
function rawValue(variables: readonly string[], env: Environment): string | undefined {
  for (const variable of variables) {
    const raw = env[variable];
    if (raw !== undefined && raw.trim() !== '') return raw;
  }
  return undefined;
}

/** A setting of one variable: `fallback` when unset or blank, otherwise what `parse` makes of it. */
function parsed<T>(
  variable: string,
  fallback: T,
  meaning: string,
  parse: (raw: string) => T,
): Setting<T> {
  return {
    variable,
    default: fallback,
    meaning,
    read(env) {
      const raw = rawValue([variable], env);
      return raw === undefined ? fallback : parse(raw);
    },
  };
}

/** Free text; `fallback` when unset or blank. */
export const text = (variable: string, fallback: string, meaning: string): Setting<string> =>
  parsed(variable, fallback, meaning, (raw) => raw);

/** Free text with no default: the first of the variables set, or undefined. */
export function optionalText(
  variables: readonly [string, ...string[]],
  meaning: string,
): Setting<string | undefined> {
  const [variable, ...alternatives] = variables;
  return {
    variable,
    ...(alternatives.length > 0 ? { alternatives } : {}),
    default: undefined,
    meaning,
    read: (env) => rawValue(variables, env),
  };
}

/** Comma-separated names (blanks left out); undefined when unset. */
export const list = (variable: string, meaning: string): Setting<string[] | undefined> =>
  parsed<string[] | undefined>(variable, undefined, meaning, (raw) =>
    raw.split(',').map((name) => name.trim()).filter((name) => name !== ''),
  );

/** A number ≥ `min` (an integer unless `decimal`); `fallback` when unset; a clear error otherwise. */
export function numeric<T extends number | undefined>(
  variable: string,
  fallback: T,
  meaning: string,
  { min = 0, decimal = false }: { min?: number; decimal?: boolean } = {},
): Setting<number | T> {
  return parsed<number | T>(variable, fallback, meaning, (raw) => {
    const value = Number(raw);
    const valid = decimal ? Number.isFinite(value) : Number.isInteger(value);
    if (!valid || value < min) {
      throw new Error(
        `${variable} must be ${decimal ? 'a number' : 'an integer'} ≥ ${min}, got "${raw}"`,
      );
    }
    return value;
  });
}

/** `true` or `false`; `fallback` when unset. */
export function flag(variable: string, fallback: boolean, meaning: string): Setting<boolean> {
  return parsed(variable, fallback, meaning, (raw) => {
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === 'false') return value === 'true';
    throw new Error(`${variable} must be true or false, got "${raw}"`);
  });
}

export type SettingFamily = Readonly<Record<string, Setting<unknown>>>;
export type SettingValues<F extends SettingFamily> = {
  -readonly [K in keyof F]: F[K] extends Setting<infer T> ? T : never;
};

/** Every setting of the family read from `env`. */
export function readSettings<F extends SettingFamily>(
  family: F,
  env: Environment,
): SettingValues<F> {
  return Object.fromEntries(
    Object.entries(family).map(([key, setting]) => [key, setting.read(env)]),
  ) as SettingValues<F>;
}

/** The family's defaults (settings without one left out). */
export function settingDefaults<F extends SettingFamily>(family: F): Partial<SettingValues<F>> {
  return Object.fromEntries(
    Object.entries(family)
      .filter(([, setting]) => setting.default !== undefined)
      .map(([key, setting]) => [key, setting.default]),
  ) as Partial<SettingValues<F>>;
}
