// Runs examples/express-service.ts as a real Node process (http and express instrumented the
// production way) against the OpenAI test server and checks what it exports over OTLP/HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { OpenAITestServer } from './support/openai-test-server';
import { OtlpJsonReceiver } from './support/otlp-json-receiver';

const PACKAGE_DIR = join(__dirname, '..');
let openaiServer: OpenAITestServer;
let receiver: OtlpJsonReceiver;
let service: ChildProcess;
let serviceUrl: string;
let exitCode: Promise<number | null>;
let output = '';

beforeAll(async () => {
  openaiServer = await new OpenAITestServer().start();
  receiver = await new OtlpJsonReceiver().start();
  service = spawn(
    process.execPath,
    ['-r', './scripts/register-ts.js', 'examples/express-service.ts'],
    {
      cwd: PACKAGE_DIR,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: openaiServer.baseURL,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        // JSON so this test can read the export; the default (http/protobuf) is what the Collector gets
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_METRIC_EXPORT_INTERVAL: '60000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  exitCode = new Promise((resolve) => service.on('exit', resolve));
  serviceUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the example service did not start within 20 s:\n${output}`)),
      20_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    service.stdout!.on('data', read);
    service.stderr!.on('data', read);
    service.on('exit', (code) =>
      reject(new Error(`the example service exited with ${code}:\n${output}`)),
    );
  });
}, 30_000);

afterAll(async () => {
  if (service.exitCode === null) service.kill('SIGKILL');
  await openaiServer.stop();
  await receiver.stop();
});

it('exports the model call, HTTP route, cache, event and health telemetry of the example', async () => {
  const first = await fetch(`${serviceUrl}/api/v1/node/02abc/recommendation`, {
    headers: { 'x-user-id': 'user-9', 'x-plan': 'free' },
  });
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({
    pubkey: '02abc',
    recommendation: 'Hello from the test server',
    cached: false,
  });
  const second = await fetch(`${serviceUrl}/api/v1/node/02abc/recommendation`, {
    headers: { 'x-user-id': 'user-9' },
  });
  expect(((await second.json()) as { cached: boolean }).cached).toBe(true);
  const health = await fetch(`${serviceUrl}/health?refresh=1`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { status: string }).status).toBe('up');

  service.kill('SIGTERM');
  expect(await exitCode).toBe(0);

  const modelSpan = receiver.spans.find((span) => span.name === 'chat gpt-4o-mini');
  expect(modelSpan).toBeDefined();
  expect(modelSpan!.service).toBe('recommendation-api');
  expect(modelSpan!.attributes).toMatchObject({
    'gen_ai.provider.name': 'openai',
    'gen_ai.response.model': 'gpt-4o-mini-2025-08-07',
    'gen_ai.usage.input_tokens': 1200,
    'gen_ai.usage.cache_read.input_tokens': 1000,
    'enduser.id': 'user-9',
    'tokenmeter.plan': 'free',
    'tokenmeter.prompt.name': 'node-recommendation',
    'tokenmeter.cost.usd': 0.000285,
  });
  // the model call is a child of the instrumented HTTP request with its route template
  const serverSpan = receiver.spans.find(
    (span) =>
      span.traceId === modelSpan!.traceId &&
      span.attributes['http.route'] !== undefined &&
      span.parentSpanId === undefined,
  );
  expect(serverSpan?.attributes['http.route']).toBe('/api/v1/node/:pubkey/recommendation');

  const points = (metric: string) => receiver.points.filter((point) => point.metric === metric);
  const routes = points('http.server.request.duration').map((point) => [
    point.attributes['http.route'],
    point.attributes['http.response.status_code'],
    point.count,
  ]);
  expect(routes).toEqual(
    expect.arrayContaining([
      ['/api/v1/node/:pubkey/recommendation', 200, 2],
      ['/health', 200, 1],
    ]),
  );
  expect(points('http.server.request.duration')[0]!.explicitBounds).toEqual([
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2, 2.5, 5, 7.5, 10,
  ]);
  expect(points('gen_ai.client.operation.duration')).toHaveLength(1);
  expect(points('tokenmeter.llm.cost.usd').map((point) => point.value)).toEqual([0.000285]);
  expect(
    points('tokenmeter.cache.requests').map((point) => [
      point.attributes['cache.result'],
      point.value,
    ]),
  ).toEqual(
    expect.arrayContaining([
      ['hit', 1],
      ['miss', 1],
    ]),
  );
  expect(
    points('tokenmeter.events').map((point) => [point.attributes['event.name'], point.value]),
  ).toEqual([['recommendation.generated', 1]]);
  expect(
    points('tokenmeter.health.status').map((point) => [
      point.attributes['tokenmeter.health.component'],
      point.value,
    ]),
  ).toEqual(
    expect.arrayContaining([
      ['openai', 1],
      ['cache', 1],
    ]),
  );
  for (const point of receiver.points)
    expect(Object.keys(point.attributes)).not.toContain('enduser.id');
}, 30_000);
