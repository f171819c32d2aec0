import { startSink, type RunningSink } from '../sink';
import { keyValue, newSpanId, newTraceId, traceRequestProtobuf } from '../test-support/genai-spans';
import { UserIdPseudonyms } from '../ledger/user-pseudonyms';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { DIALECT_FIXTURES } from './dialect-fixtures';

// Every dialect's model calls, each also carrying the message-content attributes of every emitter
// (names as their published conventions write them, by hand here rather than from the dialect
// table, so that a name the table misses fails this test), sent to a real sink on PostgreSQL with
// user id pseudonyms on: no content, and no user id in clear, may reach any column.

const TOKEN = 'no-content-token';
const HMAC_KEY = 'no-content-test-key-0123456789abcdef';
const SECRET = 'SECRET-TEXT';

/** Content attributes by emitter (docs/features.md G3). */
const CONTENT_BY_EMITTER: Record<string, string[]> = {
  'OpenTelemetry GenAI semconv': [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.system_instructions',
    'gen_ai.tool.definitions',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.call.result',
  ],
  'OpenLLMetry / Traceloop': [
    'gen_ai.prompt.0.role',
    'gen_ai.prompt.0.content',
    'gen_ai.completion.0.content',
    'gen_ai.completion.0.tool_calls.0.arguments',
    'llm.content.completion.chunk',
    'traceloop.entity.input',
    'traceloop.entity.output',
    'traceloop.prompt.template',
    'traceloop.prompt.template_variables',
  ],
  OpenLIT: ['gen_ai.prompt', 'gen_ai.completion', 'gen_ai.content.prompt', 'gen_ai.content.completion'],
  OpenInference: [
    'input.value',
    'output.value',
    'llm.input_messages.0.message.content',
    'llm.input_messages.0.message.contents.0.message_content.text',
    'llm.output_messages.0.message.content',
    'llm.prompts.0.prompt.text',
    'llm.tools.0.tool.json_schema',
    'llm.prompt_template.template',
    'llm.prompt_template.variables',
    'retrieval.documents.0.document.content',
    'embedding.embeddings.0.embedding.text',
  ],
  'Vercel AI SDK': [
    'ai.prompt',
    'ai.prompt.messages',
    'ai.prompt.tools',
    'ai.response.text',
    'ai.response.object',
    'ai.response.toolCalls',
    'ai.response.reasoning',
    'ai.toolCall.args',
    'ai.toolCall.result',
  ],
};
const CONTENT = Object.values(CONTENT_BY_EMITTER).flat();
/** What a new emitter might call its content: unknown to every dialect, dropped all the same. */
const UNKNOWN_CONTENT = ['acme.llm.prompt_text', 'myapp.completion'];


let database: TestDatabase;
let sink: RunningSink;
const userIds: string[] = [];
let calls = 0;

beforeAll(async () => {
  database = await createTestDatabase('no_content');
  sink = await startSink({ databaseUrl: database.url, port: 0, ingestToken: TOKEN, userIdHmacKey: HMAC_KEY, log: () => undefined });
  const now = Date.now();
  const resourceSpans = DIALECT_FIXTURES.map((fixture) => ({
    resource: { attributes: [keyValue('service.name', `no-content-${fixture.label.replace(/[^a-z0-9.-]+/gi, '-')}`)] },
    scopeSpans: [
      {
        scope: { name: 'no-content' },
        spans: fixture.spans
          .filter((span) => span.expected)
          .map((span, i) => {
            calls++;
            if (span.expected!.userId) userIds.push(span.expected!.userId);
            const startNs = BigInt(now - 60_000 + i * 10) * 1_000_000n;
            return {
              traceId: newTraceId(),
              spanId: newSpanId(),
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: startNs.toString(),
              endTimeUnixNano: (startNs + BigInt(span.durationMs) * 1_000_000n).toString(),
              attributes: [
                ...Object.entries(span.attributes).map(([key, value]) => keyValue(key, value)),
                ...[...CONTENT, ...UNKNOWN_CONTENT].map((key) => keyValue(key, `${SECRET} ${key}`)),
              ],
            };
          }),
      },
    ],
  }));
  const response = await fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf' },
    body: traceRequestProtobuf({ resourceSpans }),
  });
  expect(response.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

it('stores every model call of every dialect without any content attribute, in any column', async () => {
  const { stored, withContent } = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{ stored: number; with_content: number }>(
      `SELECT count(*)::int AS stored, count(*) FILTER (WHERE row_to_json(c)::text LIKE '%${SECRET}%')::int AS with_content
         FROM tokenmeter.llm_calls c`,
    );
    return { stored: rows[0]!.stored, withContent: rows[0]!.with_content };
  });
  expect(calls).toBeGreaterThanOrEqual(DIALECT_FIXTURES.length);
  expect({ stored, withContent }).toEqual({ stored: calls, withContent: 0 });
});

it('counts what it dropped by reason: the known content names as content, the unknown ones as not allowed', async () => {
  const metrics = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const dropped = (reason: string) =>
    Number(new RegExp(`^tokenmeter_sink_attributes_dropped_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
  // At least the names added here; some fixtures carry content of their own.
  expect(dropped('content')).toBeGreaterThanOrEqual(calls * CONTENT.length);
  // The fixtures' own attributes off the allow-list (e.g. llm.invocation_parameters) count here too.
  expect(dropped('not_allowed')).toBeGreaterThanOrEqual(calls * UNKNOWN_CONTENT.length);
});

it('stores user ids of every dialect only as their HMAC pseudonyms', async () => {
  const stored = await withClient(database.url, async (client) =>
    (await client.query<{ user_id: string }>('SELECT DISTINCT user_id FROM tokenmeter.llm_calls WHERE user_id IS NOT NULL')).rows.map((row) => row.user_id),
  );
  const pseudonyms = new UserIdPseudonyms(HMAC_KEY);
  expect(userIds.length).toBeGreaterThan(0);
  expect(stored.sort()).toEqual([...new Set(userIds.map((id) => pseudonyms.of(id)))].sort());
  const daily = await withClient(database.url, async (client) =>
    (await client.query('SELECT 1 FROM tokenmeter.llm_usage_daily WHERE user_id = ANY($1)', [userIds])).rowCount,
  );
  expect(daily).toBe(0);
});
