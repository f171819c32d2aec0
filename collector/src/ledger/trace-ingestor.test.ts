import type { Pool } from 'pg';
import { PricingCatalog } from '@tokenmeter/conventions/pricing';
import { decodeTraceRequest } from '../otlp/decode-trace-request';
import { decodedRequest } from '../otlp/decoded-request';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import {
  createMigratedTestDatabase,
  testPool,
  withClient,
  type TestDatabase,
} from '@tokenmeter/test-support';
import { GroupCommit } from './group-commit';
import { LedgerWriter } from './ledger-writer';
import { TraceIngestor } from './trace-ingestor';

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createMigratedTestDatabase('ingestor');
  pool = testPool(database.url, 2);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

it('rejects a span whose mapping throws unexpectedly, alone and with its reason, logs it once, and stores the others', async () => {
  const logged: string[] = [];
  const commits = new GroupCommit(new LedgerWriter(pool), {
    maxRowsPerCommit: 1000,
    maxQueuedRows: 1000,
    writers: 1,
  });
  const ingestor = new TraceIngestor(commits, PricingCatalog.load(), 400, (message) =>
    logged.push(message),
  );
  const users = ['first', 'broken', 'also-broken', 'last'];
  const request = decodeTraceRequest(
    traceRequestProtobuf(
      traceRequestJson(users.map((userId) => ({ service: 'ingestor-svc', userId }))),
    ),
    'protobuf',
  );
  const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;
  for (const index of [1, 2]) {
    Object.defineProperty(spans[index]!, 'attributes', {
      get: () => {
        throw new TypeError('a decoder bug');
      },
    });
  }

  const outcome = await ingestor.ingest(() => decodedRequest(request));

  expect(outcome).toEqual({
    accepted: 2,
    droppedAttributes: { content: 0, not_allowed: 0 },
    ignored: 0,
    rejected: 2,
    rejectionMessage:
      '2 span(s) rejected: span could not be mapped: a decoder bug; span could not be mapped: a decoder bug',
    rejectedByKind: { unmappable_span: 2 },
  });
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/TypeError: a decoder bug/);
  const stored = await withClient(database.url, async (client) =>
    (
      await client.query<{ user_id: string }>(
        'SELECT user_id FROM tokenmeter.llm_calls ORDER BY user_id',
      )
    ).rows.map((row) => row.user_id),
  );
  expect(stored).toEqual(['first', 'last']);
});
