// `node dist/main.js` (npm start -w collector): the usage sink configured from the environment.
import { configFromEnv } from './sink-config';
import { startSink, type RunningSink } from './sink';

const START_ATTEMPTS = 30;
const START_RETRY_MS = 2000;

async function main(): Promise<void> {
  const config = configFromEnv();
  let sink: RunningSink | undefined;
  // PostgreSQL may still be starting (docker-compose, systemd): wait for it rather than exit.
  for (let attempt = 1; !sink; attempt++) {
    try {
      sink = await startSink(config);
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw error;
      config.log(`cannot start yet (${(error as Error).message}); retrying in ${START_RETRY_MS / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS));
    }
  }
  const running = sink;
  const stop = (): void => {
    config.log('stopping');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`[tokenmeter-sink] failed to start: ${error.message}`);
  process.exit(1);
});
