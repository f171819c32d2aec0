import {
  ROLLUPS,
  ROLLUP_CLOSED_BEFORE,
  ROLLUP_KEPT_FROM,
  closedDaysOnly,
} from '@tokenmeter/conventions';
import { remergeAggregate, rollupSelect } from '../ledger/rollups';
import { withClient } from '@tokenmeter/test-support';

// Float sums depend on the order of addition, so the duration measures are left out of equality.
const FLOAT_MEASURES = new Set(['duration_ms_sum', 'duration_ms_max']);

/** Every rollup recomputed from the ledger, next to the maintained one: the differences (none expected). */
export async function rollupMismatches(databaseUrl: string): Promise<unknown[]> {
  return withClient(databaseUrl, async (client) => {
    const problems: unknown[] = [];
    for (const rollup of ROLLUPS) {
      const dimensions = Object.keys(rollup.dimensions);
      const bucket = dimensions[0]!;
      const measures = Object.entries(rollup.measures).filter(([m]) => !FLOAT_MEASURES.has(m));
      const compared = [...dimensions, ...measures.map(([m]) => m)].join(', ');
      // A closed-days view may hold a bucket twice (its closed and its open days): compare totals.
      const totals = measures.map(([m, measure]) => `${remergeAggregate(m, measure)} AS ${m}`);
      // A short-lived rollup holds the buckets from when it is kept only; a rollup of closed days
      // only, the buckets before the first open day.
      const held = [
        rollup.keptDays ? `${bucket} >= ${ROLLUP_KEPT_FROM(rollup)}` : '',
        closedDaysOnly(rollup) ? `${bucket} < ${ROLLUP_CLOSED_BEFORE}` : '',
      ].filter(Boolean);
      const kept = held.length > 0 ? `WHERE ${held.join(' AND ')}` : '';
      const { rows } = await client.query(`
        WITH expected AS (SELECT ${compared} FROM (${rollupSelect(rollup, 'tokenmeter.llm_calls')}) AS e ${kept}),
        actual AS (SELECT ${[...dimensions, ...totals].join(', ')} FROM ${rollup.table}
          WHERE ${bucket} >= (SELECT coalesce(min(${bucket}), now()) FROM expected)
          GROUP BY ${dimensions.join(', ')})
        (SELECT '${rollup.table}: missing from rollup' AS problem, * FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual) m)
        UNION ALL
        (SELECT '${rollup.table}: not in ledger' AS problem, * FROM (SELECT * FROM actual EXCEPT SELECT * FROM expected) n)`);
      problems.push(...rows);
    }
    return problems;
  });
}
