// Wires the demo service's dependencies and serves its API. Load this module only after
// setupTokenmeter() (see main.ts), so the HTTP and Express instrumentations see express load.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { redactUrl } from '@tokenmeter/cli';
import { HealthRegistry } from '@tokenmeter/instrumentation';
import { createDemoApp } from './app';
import { openCache } from './cache';
import { LlmGateway } from './llm-gateway';
import { NodeDirectory } from './node-directory';

export interface DemoServiceConfig {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl?: string;
  providerBaseUrl: string;
  providerKey: string;
  healthIntervalMs: number;
  log: (message: string) => void;
}

export interface RunningDemoService {
  url: string;
  close(): Promise<void>;
}

const DB_ATTEMPTS = 30;

/** Waits for PostgreSQL (docker-compose starts everything at once), then serves. */
export async function startDemoService(config: DemoServiceConfig): Promise<RunningDemoService> {
  const pool = new Pool({
    connectionString: config.databaseUrl,
    max: 4,
    connectionTimeoutMillis: 3000,
    application_name: 'tokenmeter-demo',
  });
  pool.on('error', (error) => config.log(`idle database connection lost: ${error.message}`));
  const nodes = new NodeDirectory(pool);
  for (let attempt = 1; ; attempt++) {
    try {
      await nodes.ensureSchema();
      break;
    } catch (error) {
      if (attempt >= DB_ATTEMPTS) {
        await pool.end();
        throw new Error(
          `PostgreSQL at ${redactUrl(config.databaseUrl)} is unreachable: ${(error as Error).message}`,
        );
      }
      config.log(`waiting for PostgreSQL (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  const cache = await openCache(config.redisUrl, config.log);
  const llm = new LlmGateway(config.providerBaseUrl, config.providerKey);
  const health = new HealthRegistry({ timeoutMs: 3000 })
    .register('postgres', () => pool.query('SELECT 1'))
    .register('redis', () => cache.ping())
    .register('llm-provider', () => llm.ping());
  health.start(config.healthIntervalMs);

  const app = createDemoApp({ nodes, cache, llm, health });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, config.host);
    listening.once('listening', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  config.log(`listening on ${url} (provider ${config.providerBaseUrl}, cache ${cache.kind})`);
  return {
    url,
    close: async () => {
      health.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await cache.close();
      await pool.end();
    },
  };
}
