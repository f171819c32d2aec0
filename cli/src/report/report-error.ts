/** A failure the user can act on: printed as the message alone, with the given exit code. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  '57P03',
  '3D000',
  '28P01',
  '28000',
]);

/** The database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable database URL)';
  }
}

/** Turns a PostgreSQL or network error into a message that says what to do. */
export function explainDatabaseError(error: unknown, databaseUrl: string): Error {
  const { code, message } = error as { code?: string; message?: string };
  const where = redactUrl(databaseUrl);
  if (code === '42P01' || code === '3F000') {
    return new ReportError(
      `The database at ${where} has no Tokenmeter schema yet. Start the usage sink (it creates the schema) or run \`npm run migrate -w collector\`.`,
    );
  }
  if ((code && CONNECTION_CODES.has(code)) || /timeout|connect|terminat/i.test(message ?? '')) {
    return new ReportError(
      `Cannot reach PostgreSQL at ${where}: ${message ?? code}. Check that it runs and pass --database-url (or set DATABASE_URL).`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
