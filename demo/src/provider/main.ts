#!/usr/bin/env node
// `npm run start:provider -w @tokenmeter/demo`: the simulated OpenAI-compatible provider on its own
// (PROVIDER_HOST, PROVIDER_PORT, SIMULATION_SEED, SIMULATION_ERROR_RATE, SIMULATION_LATENCY_SCALE).
import { startSimulatedProvider } from './simulated-provider';

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const provider = await startSimulatedProvider({
    host: process.env.PROVIDER_HOST ?? '127.0.0.1',
    port: numberFrom('PROVIDER_PORT', 8081),
    seed: process.env.SIMULATION_SEED || undefined,
    transientErrorRate: numberFrom('SIMULATION_ERROR_RATE', 0.03),
    latencyScale: numberFrom('SIMULATION_LATENCY_SCALE', 1),
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
