// The demo's settings (README), declared with conventions' setting readers. The orchestrator's
// ledger is the shared database setting (TOKENMETER_DATABASE_URL, then DATABASE_URL).
import { numeric, optionalText, text } from '@tokenmeter/conventions';

/** `npm run demo`. */
export const ORCHESTRATOR_SETTINGS = {
  liveRate: numeric('DEMO_RATE', undefined, 'live actions per second (0: none; default 2)', {
    decimal: true,
  }),
  backfillDays: numeric(
    'DEMO_BACKFILL_DAYS',
    undefined,
    'days of backfilled history (default 30)',
    {
      decimal: true,
    },
  ),
};

/** The demo service (its own process, or the docker-compose `demo` service). */
export const SERVICE_SETTINGS = {
  host: text('HOST', '0.0.0.0', 'listen address'),
  port: numeric('PORT', 8080, 'listen port'),
  // The service's own data (demo.nodes), not the ledger: it may live in the same database.
  databaseUrl: optionalText(['DATABASE_URL'], 'PostgreSQL of the service (required)'),
  redisUrl: optionalText(['REDIS_URL'], 'Redis of the service cache'),
  providerBaseUrl: text('OPENAI_BASE_URL', 'http://127.0.0.1:8081/v1', 'the OpenAI-compatible API'),
  providerKey: text(
    'OPENAI_API_KEY',
    'sk-demo-system',
    'the system key (BYOK users send their own)',
  ),
  healthIntervalMs: numeric('HEALTH_INTERVAL_MS', 15_000, 'health checks every … ms'),
};

/** The simulated OpenAI-compatible provider on its own. */
export const PROVIDER_SETTINGS = {
  host: text('PROVIDER_HOST', '127.0.0.1', 'listen address'),
  port: numeric('PROVIDER_PORT', 8081, 'listen port'),
  seed: optionalText(['SIMULATION_SEED'], 'seed of the simulated answers'),
  transientErrorRate: numeric('SIMULATION_ERROR_RATE', 0.03, 'share of calls failing transiently', {
    decimal: true,
  }),
  latencyScale: numeric('SIMULATION_LATENCY_SCALE', 1, 'latency multiplier (1 = realistic)', {
    decimal: true,
  }),
};
