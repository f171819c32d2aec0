import { dashboard } from './dashboard';
import { fieldOverride, layoutRows, rowHeader, stat, table, timeseries } from './panels';
import { recentActivityTable, topPromptsTable, topUsersTable, USERS_UID } from './shared-panels';
import { COLOURS } from './colours';

/** "LLM Users & Prompts": top users and one user's drill-down (B8), prompts (B11), FREE quota (A4). */
export function usersPromptsDashboard(): ReturnType<typeof dashboard> {
  return dashboard({
    uid: USERS_UID,
    title: 'LLM Users & Prompts',
    description:
      'Who uses the models and through which prompts; one user in detail (type or click a user id).',
    tags: ['users', 'prompts'],
    variables: ['service', 'model', 'billing_mode', 'plan', 'free_quota', 'user'],
    panels: layoutRows([
      [topUsersTable(14, 10), recentActivityTable(10, 10)],
      [rowHeader('User $user')],
      [
        stat({
          title: 'User summary',
          queries: ['user_summary'],
          fields: '/.*/',
          w: 24,
          h: 4,
          overrides: [
            fieldOverride('cost_usd', { unit: 'currencyUSD' }),
            fieldOverride('first_day', { unit: 'dateTimeAsIsoNoDateIfToday' }),
            fieldOverride('last_day', { unit: 'dateTimeAsIsoNoDateIfToday' }),
          ],
        }),
      ],
      [
        timeseries({
          title: 'User daily usage',
          queries: ['user_daily_usage'],
          w: 12,
          h: 8,
          bars: true,
          overrides: [
            fieldOverride('cost_usd', {
              unit: 'currencyUSD',
              'custom.axisPlacement': 'right',
              color: { mode: 'fixed', fixedColor: COLOURS.watch },
            }),
          ],
        }),
        timeseries({
          title: 'User requests over time',
          queries: ['user_request_rate'],
          w: 12,
          h: 8,
        }),
      ],
      [
        table({ title: 'User models and prompts', queries: ['user_models'], w: 12, h: 8 }),
        table({ title: 'User recent activity', queries: ['user_recent_activity'], w: 12, h: 8 }),
      ],
      [rowHeader('Prompts')],
      [topPromptsTable('cost', 12, 8), topPromptsTable('tokens', 12, 8)],
      [
        table({
          title: 'Prompt latency and errors',
          queries: ['prompt_performance'],
          w: 24,
          h: 8,
          overrides: [fieldOverride('error_rate', { unit: 'percentunit', decimals: 1 })],
        }),
      ],
      [rowHeader('FREE plan')],
      [
        table({ title: 'FREE plan quota today', queries: ['free_quota_today'], w: 12, h: 8 }),
        table({ title: 'FREE plan quota overruns', queries: ['free_quota_overruns'], w: 12, h: 8 }),
      ],
    ]),
  });
}
