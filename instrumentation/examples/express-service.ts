// An Express service that asks OpenAI for recommendations, instrumented with Tokenmeter.
// Run: OPENAI_API_KEY=... OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
//      node -r ./scripts/register-ts.js examples/express-service.ts
import { tokenmeter } from './telemetry'; // first: instruments http and express before they load
import express from 'express';
import OpenAI from 'openai';
import {
  HealthRegistry,
  instrumentOpenAI,
  recordCacheLookup,
  recordEvent,
  withAttribution,
} from '@tokenmeter/instrumentation';

const openai = instrumentOpenAI(new OpenAI());
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
const cache = new Map<string, string>();

const health = new HealthRegistry({ timeoutMs: 3000 })
  .register('openai', () => openai.models.list())
  .register('cache', () => cache.size >= 0)
  .start(30_000);

const app = express();

app.get('/api/v1/node/:pubkey/recommendation', async (req, res, next) => {
  const { pubkey } = req.params;
  const cached = cache.get(pubkey);
  recordCacheLookup('recommendations', cached !== undefined);
  if (cached !== undefined) {
    res.json({ pubkey, recommendation: cached, cached: true });
    return;
  }
  const userId = req.header('x-user-id') ?? 'anonymous';
  const plan = req.header('x-plan') === 'free' ? 'free' : 'pro';
  try {
    // every model call inside is attributed to this user, prompt, plan and billing mode
    const completion = await withAttribution(
      { userId, plan, promptName: 'node-recommendation', billingMode: 'system' },
      () =>
        openai.chat.completions.create({
          model,
          messages: [
            { role: 'system', content: 'You recommend one channel to open for a Lightning node.' },
            { role: 'user', content: `Node ${pubkey}: which channel should it open next?` },
          ],
        }),
    );
    const recommendation = completion.choices[0]?.message.content ?? '';
    cache.set(pubkey, recommendation);
    recordEvent('recommendation.generated', 'channel');
    res.json({ pubkey, recommendation, cached: false });
  } catch (error) {
    next(error);
  }
});

app.post('/api/v1/recommendations/:id/viewed', (_req, res) => {
  recordEvent('recommendation.viewed', 'channel');
  res.status(204).end();
});

app.get('/health', health.handler());

const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}`,
  );
});

// Flush telemetry before the process goes.
process.on('SIGTERM', () => {
  health.stop();
  server.close();
  server.closeAllConnections();
  void tokenmeter.shutdown().finally(() => process.exit(0));
});
