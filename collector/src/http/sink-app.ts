import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import { DatabaseUnavailableError } from '../db/database-errors';
import type { WriteHealth } from '../db/write-health';
import { QueueFullError } from '../ledger/group-commit';
import type { TraceIngestor } from '../ledger/trace-ingestor';
import { encodingOf, readTraceRequest, type OtlpEncoding } from '../otlp/decode-trace-request';
import { encodeTraceResponse } from '../otlp/encode-trace-response';
import { PayloadError } from '../otlp/payload-error';
import type { SinkConfig } from '../sink-config';
import type { SinkMetrics } from '../sink-metrics';
import { ByteBudget } from './byte-budget';
import { BodyError, readBody, type HeldBody } from './read-body';

interface AppDependencies {
  config: Pick<
    SinkConfig,
    | 'ingestToken'
    | 'maxBodyBytes'
    | 'maxInFlight'
    | 'maxInflightBytes'
    | 'minBodyBytesPerSecond'
    | 'bodyRateGraceMs'
    | 'retryAfterSeconds'
    | 'log'
  >;
  ingestor: TraceIngestor;
  pool: Pool;
  writeHealth: WriteHealth;
  metrics: SinkMetrics;
}

const HEALTH_TIMEOUT_MS = 2000;

/** The sink's HTTP surface: POST /v1/traces (OTLP/HTTP), GET /healthz, GET /metrics. */
export function createSinkApp({
  config,
  ingestor,
  pool,
  writeHealth,
  metrics,
}: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const budget = new ByteBudget(config.maxInflightBytes);
  const bodyLimits = {
    maxBodyBytes: config.maxBodyBytes,
    minBytesPerSecond: config.minBodyBytesPerSecond,
    rateGraceMs: config.bodyRateGraceMs,
  };
  // Requests decoded or written at once. A body still arriving does not count: it holds only its
  // bytes (`budget`), and for a bounded time (read-body's rate floor, the server's request timeout).
  let inFlight = 0;

  const answer = (
    res: Response,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): void => {
    metrics.requests.inc({ code: String(status) });
    res.status(status).set(headers).json({ code: status, message });
  };
  const unavailable = (res: Response, message: string): void =>
    answer(res, 503, message, { 'Retry-After': String(config.retryAfterSeconds) });
  const saturated = (res: Response): boolean => {
    if (inFlight < config.maxInFlight) return false;
    unavailable(res, `sink saturated: ${inFlight} requests in progress`);
    return true;
  };

  const requireToken = (req: Request, res: Response, next: NextFunction): void => {
    if (config.ingestToken && !bearerMatches(req.get('authorization'), config.ingestToken)) {
      answer(
        res,
        401,
        'missing or wrong bearer token: send Authorization: Bearer <TOKENMETER_INGEST_TOKEN>',
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
      return;
    }
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

  app.post('/v1/traces', requireToken, checkContentType, async (req: Request, res: Response) => {
    const encoding = res.locals.encoding as OtlpEncoding;
    // Bounded work in progress keeps memory bounded; the Collector retries a 503 after Retry-After.
    if (saturated(res)) return;
    let held: HeldBody;
    try {
      held = await readBody(req, bodyLimits, budget);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      // A sender too slow loses its connection; the others may send their next request on it.
      if (error.status === 408) res.set('Connection', 'close');
      if (error.status === 503) unavailable(res, error.message);
      else answer(res, error.status, error.message);
      return;
    }
    res.once('close', held.release);
    if (saturated(res)) return;
    inFlight++;
    res.once('close', () => inFlight--);
    try {
      const outcome = await ingestor.ingest(() => readTraceRequest(held.take(), encoding));
      metrics.spansAccepted.inc(outcome.accepted);
      metrics.spansIgnored.inc(outcome.ignored);
      for (const [reason, count] of Object.entries(outcome.droppedAttributes))
        if (count > 0) metrics.attributesDropped.inc({ reason }, count);
      for (const [reason, count] of Object.entries(outcome.rejectedByKind))
        metrics.spansRejected.inc({ reason }, count);
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
        config.log(error.message);
        unavailable(res, 'database unavailable: the batch was not stored, send it again');
      } else {
        config.log(`internal error: ${(error as Error).stack ?? String(error)}`);
        answer(res, 500, 'internal error (logged by the sink)');
      }
    }
  });

  // Up when PostgreSQL answers a query on a spare connection and writes complete (a writer whose
  // backend hangs or whose statements time out leaves SELECT 1 answering). No error text is shown:
  // the sink's log has it.
  // With a token set, health and metrics are the operator's too: both say what the sink is doing.
  app.get('/healthz', requireToken, async (_req, res) => {
    let problem = writeHealth.problem();
    if (!problem) {
      try {
        await withTimeout(pool.query('SELECT 1'), HEALTH_TIMEOUT_MS);
      } catch (error) {
        problem = `SELECT 1 failed: ${(error as Error).message}`;
      }
    }
    if (problem) {
      metrics.databaseUp.set(0);
      config.log(`health: database down (${problem})`);
      res.status(503).json({ status: 'unavailable', database: 'down' });
    } else {
      metrics.databaseUp.set(1);
      res.json({ status: 'ok', database: 'up' });
    }
  });

  app.get('/metrics', requireToken, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    config.log(`internal error: ${error.stack ?? String(error)}`);
    answer(res, 500, 'internal error (logged by the sink)');
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
