import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import { DatabaseUnavailableError } from '../db/database-errors';
import { QueueFullError } from '../ledger/group-commit';
import type { TraceIngestor } from '../ledger/trace-ingestor';
import { decodeTraceRequest, encodingOf, type OtlpEncoding } from '../otlp/decode-trace-request';
import { encodeTraceResponse } from '../otlp/encode-trace-response';
import { PayloadError } from '../otlp/payload-error';
import type { SinkConfig } from '../sink-config';
import type { SinkMetrics } from '../sink-metrics';

interface AppDependencies {
  config: Pick<SinkConfig, 'ingestToken' | 'maxBodyBytes' | 'maxInFlight' | 'retryAfterSeconds' | 'log'>;
  ingestor: TraceIngestor;
  pool: Pool;
  metrics: SinkMetrics;
}

const HEALTH_TIMEOUT_MS = 2000;

/** The sink's HTTP surface: POST /v1/traces (OTLP/HTTP), GET /healthz, GET /metrics. */
export function createSinkApp({ config, ingestor, pool, metrics }: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  let inFlight = 0;

  const answer = (res: Response, status: number, message: string, headers: Record<string, string> = {}): void => {
    metrics.requests.inc({ code: String(status) });
    res.status(status).set(headers).json({ code: status, message });
  };
  const unavailable = (res: Response, message: string): void =>
    answer(res, 503, message, { 'Retry-After': String(config.retryAfterSeconds) });

  const requireToken = (req: Request, res: Response, next: NextFunction): void => {
    if (config.ingestToken && !bearerMatches(req.get('authorization'), config.ingestToken)) {
      answer(res, 401, 'missing or wrong bearer token: send Authorization: Bearer <TOKENMETER_INGEST_TOKEN>', {
        'WWW-Authenticate': 'Bearer',
      });
      return;
    }
    next();
  };

  // Bounded work in progress keeps memory bounded; the Collector retries a 503 after Retry-After.
  const admit = (_req: Request, res: Response, next: NextFunction): void => {
    if (inFlight >= config.maxInFlight) {
      unavailable(res, `sink saturated: ${inFlight} requests in progress`);
      return;
    }
    inFlight++;
    res.once('close', () => inFlight--);
    next();
  };

  const checkContentType = (req: Request, res: Response, next: NextFunction): void => {
    try {
      res.locals.encoding = encodingOf(req.get('content-type'));
      next();
    } catch (error) {
      answer(res, (error as PayloadError).status, (error as Error).message);
    }
  };

  app.post(
    '/v1/traces',
    requireToken,
    admit,
    checkContentType,
    express.raw({ type: () => true, limit: config.maxBodyBytes, inflate: true }),
    async (req: Request, res: Response) => {
      const encoding = res.locals.encoding as OtlpEncoding;
      try {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const outcome = await ingestor.ingest(() => decodeTraceRequest(body, encoding));
        metrics.spansAccepted.inc(outcome.accepted);
        metrics.spansIgnored.inc(outcome.ignored);
        if (outcome.rejectedInvalid) metrics.spansRejected.inc({ reason: 'invalid_span' }, outcome.rejectedInvalid);
        if (outcome.rejectedByDatabase) metrics.spansRejected.inc({ reason: 'refused_by_database' }, outcome.rejectedByDatabase);
        const response = encodeTraceResponse(encoding, {
          rejectedSpans: outcome.rejected,
          errorMessage: outcome.rejectionMessage,
        });
        metrics.requests.inc({ code: '200' });
        res.status(200).type(response.contentType).send(response.body);
      } catch (error) {
        if (error instanceof PayloadError) {
          answer(res, error.status, error.message);
        } else if (error instanceof QueueFullError) {
          unavailable(res, `sink saturated: ${error.message}`);
        } else if (error instanceof DatabaseUnavailableError) {
          metrics.databaseUp.set(0);
          unavailable(res, error.message);
        } else {
          config.log(`internal error: ${(error as Error).stack ?? String(error)}`);
          answer(res, 500, `internal error: ${(error as Error).message}`);
        }
      }
    },
  );

  app.get('/healthz', async (_req, res) => {
    try {
      await withTimeout(pool.query('SELECT 1'), HEALTH_TIMEOUT_MS);
      metrics.databaseUp.set(1);
      res.json({ status: 'ok', database: 'up' });
    } catch (error) {
      metrics.databaseUp.set(0);
      res.status(503).json({ status: 'unavailable', database: 'down', error: (error as Error).message });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Errors of the body reader: size limit, broken gzip, unsupported Content-Encoding, aborted upload.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      answer(res, 413, `body larger than ${config.maxBodyBytes} bytes (TOKENMETER_SINK_MAX_BODY_BYTES)`);
    } else if (error.status && error.status >= 400 && error.status < 500) {
      answer(res, error.status === 415 ? 415 : 400, `unreadable body: ${error.message}`);
    } else {
      config.log(`internal error: ${error.stack ?? String(error)}`);
      answer(res, 500, `internal error: ${error.message}`);
    }
  });

  return app;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
