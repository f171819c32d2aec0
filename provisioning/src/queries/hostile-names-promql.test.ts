import fc from 'fast-check';
import { getQuery, type QueryId } from './index';
import { ALL, renderPromql, type VariableValues } from '../render';
import {
  hostileName,
  startBackfilledPrometheus,
  type BackfilledPrometheus,
} from '@tokenmeter/test-support';
import { END, OpenMetricsWriter, fastLlm, llm, same } from '../test-support/known-metrics';
import { PROM_METRICS as M } from './prometheus-names';

// Service and model names holding quotes, backslashes, commas, braces, regex characters and
// Unicode, filtered by the dashboards' PromQL on a real Prometheus: each name selects exactly its
// own series, several names select the sum of theirs, and "All" selects every series.

const FIXED = ['a"b', 'c\\d', 'x|y', '.*', '{job="api"}', 'NULL/*|.*|.*/', 'é中🙂'];
const names = [...new Set([...FIXED, ...fc.sample(hostileName, { numRuns: 25, seed: 17 })])];
/** Requests per second of the i-th name, all different so that a wrong match shows. */
const rate = (i: number): number => 0.01 * (i + 1);

let prometheus: BackfilledPrometheus;

beforeAll(async () => {
  const writer = new OpenMetricsWriter().histogram(
    M.llmDuration,
    names.map((name, i) => ({
      labels: llm(name, name, 'openai', 'system', 'pro'),
      buckets: fastLlm(rate(i)),
      sum: same(rate(i) / 10),
    })),
  );
  prometheus = await startBackfilledPrometheus({ openMetrics: writer.text() });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

async function requests(vars: VariableValues): Promise<number> {
  const id: QueryId = 'realtime_llm_requests_1h';
  const expr = renderPromql(getQuery(id), {
    from: new Date(END.getTime() - 3_600_000),
    to: END,
    vars: { service: ALL, model: ALL, billing_mode: ALL, plan: ALL, ...vars },
  });
  const samples = await prometheus.query(expr, END);
  return samples.reduce((sum, s) => sum + s.value, 0);
}
const inOneHour = (...indexes: number[]): number =>
  indexes.reduce((sum, i) => sum + rate(i) * 3600, 0);

describe('hostile service and model names in PromQL (issue 17)', () => {
  it.each(names.map((name, i) => [JSON.stringify(name), i]))(
    'selects exactly the series of %s, by service and by model',
    async (_shown, i) => {
      const name = names[i as number] as string;
      expect(await requests({ service: [name] })).toBeCloseTo(inOneHour(i as number), 6);
      expect(await requests({ model: [name] })).toBeCloseTo(inOneHour(i as number), 6);
    },
  );

  it('selects the sum of several names, and every series with All', async () => {
    const picked = [0, 1, 3, names.length - 1];
    expect(await requests({ service: picked.map((i) => names[i] as string) })).toBeCloseTo(
      inOneHour(...picked),
      6,
    );
    expect(await requests({})).toBeCloseTo(inOneHour(...names.map((_n, i) => i)), 6);
  });
});
