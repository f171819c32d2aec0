/** One sample of an instant-query result vector. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Runs an instant PromQL query against the Prometheus at `url`; throws with Prometheus's error. */
export async function queryPrometheus(url: string, promql: string): Promise<PrometheusSample[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: PrometheusSample[] };
  };
  if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error}`);
  return body.data.result;
}
