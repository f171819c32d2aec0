// Loads the known calls into a fresh PostgreSQL database through the real usage sink (OTLP/HTTP JSON,
// GenAI span contract), so the ledger, its daily rollup and the price table are the sink's own.
import { startSink } from '@tokenmeter/collector';
import {
  ATTR_ENDUSER_ID,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_TOKENMETER_BILLING_MODE,
  ATTR_TOKENMETER_COST_USD,
  ATTR_TOKENMETER_PLAN,
  ATTR_TOKENMETER_PROMPT_NAME,
  PricingCatalog,
} from '@tokenmeter/conventions';
import { Client } from 'pg';
import { callTimes, KNOWN_CALLS, SERVICE } from './dataset';

const nanos = (time: Date) => (BigInt(time.getTime()) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const dbl = (key: string, value: number) => ({ key, value: { doubleValue: value } });

function spans(now: Date) {
  const times = callTimes(now);
  return KNOWN_CALLS.map((call, index) => {
    const start = times[index];
    const attributes = [
      str(ATTR_GEN_AI_OPERATION_NAME, 'chat'),
      str(ATTR_GEN_AI_PROVIDER_NAME, 'openai'),
      str(ATTR_GEN_AI_REQUEST_MODEL, call.model),
      str(ATTR_GEN_AI_RESPONSE_MODEL, call.model),
      int(ATTR_GEN_AI_USAGE_INPUT_TOKENS, call.inputTokens),
      int(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, call.outputTokens),
      int(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, call.cachedInputTokens),
      str(ATTR_ENDUSER_ID, call.user),
      str(ATTR_TOKENMETER_PROMPT_NAME, call.prompt),
      str(ATTR_TOKENMETER_BILLING_MODE, call.billingMode),
      str(ATTR_TOKENMETER_PLAN, call.plan),
      dbl(ATTR_TOKENMETER_COST_USD, call.costUsd),
      ...(call.errorType ? [str(ATTR_ERROR_TYPE, call.errorType)] : []),
    ];
    return {
      traceId: (index + 1).toString(16).padStart(32, '0'),
      spanId: (index + 1).toString(16).padStart(16, '0'),
      name: `chat ${call.model}`,
      kind: 3,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(new Date(start.getTime() + call.durationMs)),
      attributes,
      status: call.errorType ? { code: 2, message: call.errorType } : { code: 1 },
    };
  });
}

/** Runs the sink on the database (it migrates the schema and loads the price catalog) and sends the calls. */
export async function loadLedger(databaseUrl: string, now: Date): Promise<void> {
  const catalog = PricingCatalog.load();
  const sink = await startSink({ databaseUrl, port: 0, processMetrics: false, catalog, log: () => undefined });
  try {
    // The spans carry their cost, so the sink prices none of them; its price list (model_prices)
    // holds the prices it has used, so its catalog prices the data set's models once here.
    for (const model of new Set(KNOWN_CALLS.map((call) => call.model))) catalog.find('openai', model, now);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', SERVICE)] },
          scopeSpans: [{ scope: { name: 'tokenmeter-plugin-browser-test' }, spans: spans(now) }],
        },
      ],
    };
    const response = await fetch(`${sink.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('rejected')) {
      throw new Error(`The usage sink did not take the known calls: ${response.status} ${text}`);
    }
  } finally {
    await sink.close();
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM tokenmeter.llm_calls');
  await client.end();
  if (Number(rows[0].n) !== KNOWN_CALLS.length) {
    throw new Error(`The ledger holds ${rows[0].n} calls, expected ${KNOWN_CALLS.length}`);
  }
}

/** The model on the first row of the price list (ordered by provider, then model). */
export async function firstPricedModel(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ model: string }>(
      'SELECT model FROM tokenmeter.model_prices ORDER BY provider, model LIMIT 1'
    );
    if (!rows[0]) {
      throw new Error('The sink stored no model prices');
    }
    return rows[0].model;
  } finally {
    await client.end();
  }
}
