import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_FREE_QUOTA } from '@tokenmeter/provisioning/queries';
import { runReport } from './report/run-report';

function quota(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

/** The `tokenmeter` command line. */
export function createProgram(): Command {
  const program = new Command('tokenmeter')
    .description('Usage and cost of your LLM calls, from the Tokenmeter ledger in PostgreSQL.')
    .showHelpAfterError();
  program
    .command('report')
    .description(
      'cost with month-end projection, requests, tokens, users, prompts, models, recent activity and FREE-plan quota overruns',
    )
    .option(
      '--since <period>',
      'period back from now: 1h, 24h, 7d, 30d, "month", or an ISO date',
      '30d',
    )
    .option('--json', 'print JSON for machines instead of tables', false)
    .option(
      '--database-url <url>',
      'PostgreSQL holding the tokenmeter schema (default: $TOKENMETER_DATABASE_URL, then $DATABASE_URL)',
    )
    .option('--free-quota <n>', 'FREE-plan executions per user per day', quota, DEFAULT_FREE_QUOTA)
    .action(
      async (options: {
        since: string;
        json: boolean;
        databaseUrl?: string;
        freeQuota: number;
      }) => {
        await runReport({ ...options, color: !options.json && process.stdout.isTTY === true });
      },
    );
  return program;
}
