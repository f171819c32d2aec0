// The report as terminal tables.
import Table from 'cli-table3';
import type { Report } from './collect';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** USD with cents for large amounts and four significant digits for small ones. */
export function usd(value: number | null): string {
  if (value === null) return 'unpriced';
  if (value === 0) return '$0.00';
  if (Math.abs(value) >= 1)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${value.toPrecision(4)}`;
}

const count = (value: number): string => integer.format(value);
const shortUser = (id: string): string => (id.length > 14 ? `${id.slice(0, 13)}…` : id);
const when = (isoTime: string): string => isoTime.replace('T', ' ').slice(0, 19);

export interface FormatOptions {
  /** Colour the headings (terminal). */
  color: boolean;
}

function table(head: string[], options: FormatOptions, align?: ('left' | 'right')[]): Table.Table {
  return new Table({
    head,
    colAligns: align,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: options.color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
  });
}

function section(title: string, body: string): string {
  return `\n${title}\n${body}`;
}

export function formatReport(report: Report, options: FormatOptions): string {
  const out: string[] = [];
  out.push(
    `Tokenmeter report — ${report.period.label} (${when(report.period.from)} → ${when(report.period.to)} UTC)` +
      (report.services.length > 0 ? `\nServices: ${report.services.join(', ')}` : ''),
  );
  if (report.empty) {
    out.push(
      '\nNo model calls were recorded in this period. Widen it with --since (e.g. --since 30d), or check that your services export to the Collector and the usage sink.',
    );
    return `${out.join('\n')}\n`;
  }

  const summary = table(['Figure', 'Value'], options, ['left', 'right']);
  const modes = report.cost.byBillingMode
    .map((mode) => `${mode.billingMode} ${usd(mode.costUsd)} (${count(mode.requests)})`)
    .join(', ');
  summary.push(
    [
      'Total cost',
      usd(report.cost.totalUsd) +
        (report.cost.unpricedCalls > 0
          ? ` (+${count(report.cost.unpricedCalls)} unpriced calls)`
          : ''),
    ],
    ['  by billing mode', modes],
    ['Cost this month (UTC)', usd(report.cost.monthToDateUsd)],
    ['Month-end projection', usd(report.cost.projectedMonthUsd)],
    [
      'Requests',
      `${count(report.requests.total)} (${count(report.requests.errors)} errors, ${percent.format(report.requests.errorRate)})`,
    ],
    ['Avg tokens / request', decimal.format(report.requests.avgTokensPerRequest)],
    [
      'Prompt tokens',
      `${count(report.tokens.prompt)} (${count(report.tokens.cachedPrompt)} cached)`,
    ],
    ['Completion tokens', count(report.tokens.completion)],
    ['Total tokens', count(report.tokens.total)],
    ['Active users', count(report.activeUsers)],
  );
  out.push(section('Overview', summary.toString()));

  const allTime = table(['All time', 'Value'], options, ['left', 'right']);
  allTime.push(
    ['Total cost', usd(report.allTime.totalCostUsd)],
    ['Cost this month', usd(report.allTime.monthCostUsd)],
    [
      'Tokens',
      `${count(report.allTime.totalTokens)} (${count(report.allTime.monthTokens)} this month)`,
    ],
    ['Executions', count(report.allTime.executions)],
    ['Distinct prompts', count(report.allTime.distinctPrompts)],
    ['Average latency', `${decimal.format(report.allTime.avgLatencyMs)} ms`],
    ['Most used model', report.allTime.mostUsedModel ?? '—'],
  );
  out.push(section('All-time figures', allTime.toString()));

  const mix = table(['Model', 'Requests', 'Share', 'Cost'], options, [
    'left',
    'right',
    'right',
    'right',
  ]);
  for (const model of report.modelMix)
    mix.push([model.model, count(model.requests), percent.format(model.share), usd(model.costUsd)]);
  out.push(section('Model mix', mix.toString()));

  if (report.unpricedModels.length > 0) {
    const unpriced = table(['Provider', 'Model', 'Unpriced calls', 'Calls', 'Why'], options, [
      'left',
      'left',
      'right',
      'right',
      'left',
    ]);
    for (const model of report.unpricedModels)
      unpriced.push([
        model.provider,
        model.model,
        count(model.unpricedCalls),
        count(model.calls),
        model.reason,
      ]);
    out.push(
      section(
        'Unpriced models (left out of every cost; add their prices with TOKENMETER_PRICING_FILE)',
        unpriced.toString(),
      ),
    );
  }

  const users = table(['User', 'Requests', 'Tokens', 'Cost'], options, [
    'left',
    'right',
    'right',
    'right',
  ]);
  for (const user of report.topUsers.slice(0, 10))
    users.push([
      shortUser(user.userId),
      count(user.requests),
      count(user.tokens),
      usd(user.costUsd),
    ]);
  out.push(section('Top users', users.toString()));

  const prompts = table(
    ['Prompt', 'Requests', 'Tokens (prompt / completion)', 'Cost', 'Cost / request'],
    options,
    ['left', 'right', 'right', 'right', 'right'],
  );
  for (const prompt of report.topPrompts.slice(0, 10)) {
    prompts.push([
      prompt.prompt,
      count(prompt.requests),
      `${count(prompt.tokens)} (${count(prompt.promptTokens)} / ${count(prompt.completionTokens)})`,
      usd(prompt.costUsd),
      usd(prompt.costPerRequestUsd),
    ]);
  }
  out.push(section('Top prompts by cost', prompts.toString()));

  const recent = table(
    ['Time (UTC)', 'Prompt', 'Model', 'User', 'Status', 'Duration', 'Tokens', 'Cost'],
    options,
    ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
  );
  for (const call of report.recentActivity) {
    recent.push([
      when(call.time),
      call.prompt || call.operation,
      call.model,
      shortUser(call.userId),
      call.status === 'error' ? `error ${call.errorType}` : call.status,
      `${integer.format(call.durationMs)} ms`,
      count(call.totalTokens),
      usd(call.costUsd),
    ]);
  }
  out.push(section('Recent activity', recent.toString()));

  if (report.quotaOverruns.length === 0) {
    out.push(
      section(
        `FREE plan quota (${report.freeQuota} executions per user per day)`,
        'No user went over the quota in this period.',
      ),
    );
  } else {
    const overruns = table(['Day', 'User', 'Executions', 'Over by'], options, [
      'left',
      'left',
      'right',
      'right',
    ]);
    for (const overrun of report.quotaOverruns.slice(0, 15))
      overruns.push([
        overrun.day,
        shortUser(overrun.userId),
        count(overrun.executions),
        count(overrun.overBy),
      ]);
    const more =
      report.quotaOverruns.length > 15 ? `\n… and ${report.quotaOverruns.length - 15} more` : '';
    out.push(
      section(
        `FREE plan quota overruns (${report.freeQuota} executions per user per day): ${report.quotaOverruns.length} user-days`,
        overruns.toString() + more,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
