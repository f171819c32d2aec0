// `tokenmeter report`: connect, collect (with progress on a terminal), print tables or JSON.
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { databaseUrlFromEnv } from '@tokenmeter/conventions';
import { collectReport, type Report } from './collect';
import { formatReport } from './format';
import { periodSince } from './period';
import { explainDatabaseError, ReportError } from './report-error';

export interface ReportOptions {
  databaseUrl?: string;
  since: string;
  json: boolean;
  freeQuota?: number;
  /** Where the report goes (default stdout). */
  out?: NodeJS.WritableStream;
  /** Where progress goes; shown only when it is a terminal (default stderr). */
  progressStream?: NodeJS.WriteStream;
  color?: boolean;
}

/** Reads the report from PostgreSQL; throws a ReportError with an actionable message on failure. */
export async function readReport(
  databaseUrl: string,
  options: Pick<ReportOptions, 'since' | 'freeQuota' | 'progressStream'>,
): Promise<Report> {
  const period = periodSince(options.since);
  const progressStream = options.progressStream ?? process.stderr;
  const bar = progressStream.isTTY
    ? new SingleBar({
        stream: progressStream,
        format: 'Reading usage {bar} {value}/{total} queries',
        clearOnComplete: true,
        hideCursor: true,
      })
    : undefined;
  const client = new Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 5000,
    application_name: 'tokenmeter-report',
  });
  // Errors of an idle client (server shut down) surface through the running query instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
    bar?.start(1, 0);
    return await collectReport(client, {
      period,
      freeQuota: options.freeQuota,
      onProgress: (done, total) => {
        bar?.setTotal(total);
        bar?.update(done);
      },
    });
  } catch (error) {
    throw explainDatabaseError(error, databaseUrl);
  } finally {
    bar?.stop();
    await client.end().catch(() => undefined);
  }
}

export async function runReport(options: ReportOptions): Promise<Report> {
  const databaseUrl = options.databaseUrl ?? databaseUrlFromEnv();
  if (!databaseUrl) {
    throw new ReportError(
      'No database given: pass --database-url postgres://user@host:5432/db or set TOKENMETER_DATABASE_URL (or DATABASE_URL).',
    );
  }
  const report = await readReport(databaseUrl, options);
  const out = options.out ?? process.stdout;
  out.write(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatReport(report, { color: options.color ?? false }),
  );
  return report;
}
