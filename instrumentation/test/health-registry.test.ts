import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthRegistry } from '../src';
import { metricNamed, pointsOf, useTestTelemetry } from './support/telemetry-harness';

const telemetry = useTestTelemetry();

function registryWith(databaseUp: { value: boolean }) {
  return new HealthRegistry({ timeoutMs: 50 })
    .register('postgres', async () => {
      if (!databaseUp.value) throw new Error('connection refused');
    })
    .register('openai', () => 'pong')
    .register('redis', () => new Promise(() => undefined));
}

it('reports each component, the overall status and the time of the last check', async () => {
  const report = await registryWith({ value: true }).runChecks();
  expect(report.status).toBe('down');
  expect(report.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(
    report.components.map(({ component, status, error }) => ({ component, status, error })),
  ).toEqual([
    { component: 'postgres', status: 'up', error: undefined },
    { component: 'openai', status: 'up', error: undefined },
    { component: 'redis', status: 'down', error: 'timed out after 50 ms' },
  ]);
});

it('exports tokenmeter.health.status per component', async () => {
  const database = { value: false };
  const registry = registryWith(database);
  await registry.runChecks();
  expect(
    pointsOf(metricNamed(await telemetry.collectMetrics(), 'tokenmeter.health.status')),
  ).toEqual([
    { attributes: { 'tokenmeter.health.component': 'postgres' }, value: 0 },
    { attributes: { 'tokenmeter.health.component': 'openai' }, value: 1 },
    { attributes: { 'tokenmeter.health.component': 'redis' }, value: 0 },
  ]);
  database.value = true;
  await registry.runChecks();
  const points = pointsOf(
    metricNamed(await telemetry.collectMetrics(), 'tokenmeter.health.status'),
  );
  expect(points[0]).toEqual({
    attributes: { 'tokenmeter.health.component': 'postgres' },
    value: 1,
  });
});

it('exports tokenmeter.health.last_check: the time of the check itself, none before the first', async () => {
  // Components of their own: registries of earlier tests still report on the same provider.
  const registry = new HealthRegistry({ timeoutMs: 50 })
    .register('clock-db', () => 'pong')
    .register('clock-api', () => new Promise(() => undefined));
  const lastChecks = async () =>
    pointsOf(metricNamed(await telemetry.collectMetrics(), 'tokenmeter.health.last_check')).filter(
      (point) => String(point.attributes['tokenmeter.health.component']).startsWith('clock-'),
    );
  expect(await lastChecks().catch(() => [])).toEqual([]);
  const before = Date.now() / 1000;
  const report = await registry.runChecks();
  const after = Date.now() / 1000;
  const first = await lastChecks();
  expect(first.map((p) => p.attributes['tokenmeter.health.component'])).toEqual([
    'clock-db',
    'clock-api',
  ]);
  for (const point of first) {
    expect(point.value).toBeGreaterThanOrEqual(Math.floor(before));
    expect(point.value).toBeLessThanOrEqual(after);
  }
  expect(first[0]!.value).toBe(Date.parse(report.components[0]!.checkedAt!) / 1000);
  // Collecting again without a new check keeps the time of the check, not of the collection.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await lastChecks()).toEqual(first);
});

it('runs the checks on an interval', async () => {
  let runs = 0;
  const registry = new HealthRegistry().register('counter', () => runs++).start(20);
  for (let waited = 0; runs < 3 && waited < 5000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  registry.stop();
  expect(runs).toBeGreaterThanOrEqual(3);
});

describe('HTTP handler', () => {
  let server: Server;
  let url: string;
  const registry = new HealthRegistry().register('postgres', () => true);
  beforeAll(async () => {
    const handler = registry.handler();
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers 503 and unknown before the first check, 200 with the report after', async () => {
    const before = await fetch(url);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'unknown',
      components: [{ component: 'postgres', status: 'unknown' }],
    });
    const after = await fetch(`${url}?refresh=1`);
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await after.json()) as {
      status: string;
      checkedAt: string;
      components: { status: string }[];
    };
    expect(body.status).toBe('up');
    expect(body.components[0]!.status).toBe('up');
    expect(typeof body.checkedAt).toBe('string');
  });
});

it('rejects bad registrations with clear errors', () => {
  const registry = new HealthRegistry().register('db', () => true);
  expect(() => registry.register('db', () => true)).toThrow(
    'HealthRegistry.register: db is already registered',
  );
  expect(() => registry.register('', () => true)).toThrow('component must be a non-empty string');
  expect(() => registry.register('x', 'nope' as never)).toThrow(
    'the check of x must be a function',
  );
  expect(() => new HealthRegistry({ timeoutMs: 0 })).toThrow('timeoutMs must be > 0');
  expect(() => registry.start(-1)).toThrow('intervalMs must be > 0');
});
