#!/usr/bin/env node
// `npm run start:provider -w @tokenmeter/demo`: the simulated OpenAI-compatible provider on its own
// (PROVIDER_HOST, PROVIDER_PORT, SIMULATION_SEED, SIMULATION_ERROR_RATE, SIMULATION_LATENCY_SCALE).
import { readSettings } from '@tokenmeter/conventions';
import { PROVIDER_SETTINGS } from '../settings';
import { startSimulatedProvider } from './simulated-provider';

async function main(): Promise<void> {
  const provider = await startSimulatedProvider(readSettings(PROVIDER_SETTINGS, process.env));
  console.log(`[simulated-provider] OpenAI-compatible API at ${provider.baseURL}`);
  const stop = (): void => void provider.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`[simulated-provider] ${error.message}`);
  process.exit(1);
});
