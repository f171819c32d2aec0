#!/usr/bin/env node
// `npm run start:provider -w @tokenmeter/demo`: the simulated OpenAI-compatible provider on its own
// (PROVIDER_HOST, PROVIDER_PORT, SIMULATION_SEED, SIMULATION_ERROR_RATE, SIMULATION_LATENCY_SCALE).
import { numberFromEnv } from '../env';
import { startSimulatedProvider } from './simulated-provider';

async function main(): Promise<void> {
  const provider = await startSimulatedProvider({
    host: process.env.PROVIDER_HOST ?? '127.0.0.1',
    port: numberFromEnv('PROVIDER_PORT', 8081),
    seed: process.env.SIMULATION_SEED || undefined,
    transientErrorRate: numberFromEnv('SIMULATION_ERROR_RATE', 0.03),
    latencyScale: numberFromEnv('SIMULATION_LATENCY_SCALE', 1),
  });
  console.log(`[simulated-provider] OpenAI-compatible API at ${provider.baseURL}`);
  const stop = (): void => void provider.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`[simulated-provider] ${error.message}`);
  process.exit(1);
});
