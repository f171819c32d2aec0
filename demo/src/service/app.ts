// The demo product's HTTP API: Express routes like a real LLM-backed product's, every model call
// attributed to the calling user, plan, billing mode and prompt.
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { recordEvent, withAttribution, type HealthRegistry } from '@tokenmeter/instrumentation';
import { BILLING_MODES, PLANS, type BillingMode, type Plan } from '@tokenmeter/conventions';
import {
  modelFor,
  PROMPTS,
  RECOMMENDATION_TYPES,
  type PromptName,
  type RecommendationType,
} from '../world';
import { SeededRandom } from '../random';
import { cached, type Cache } from './cache';
import { LlmCallError, type LlmGateway, type LlmUsage } from './llm-gateway';
import { PUBKEY_PATTERN, type NodeDirectory } from './node-directory';
import { assistantPrompt, prioritiesPrompt } from './prompts';

export interface DemoAppDependencies {
  nodes: NodeDirectory;
  cache: Cache;
  llm: LlmGateway;
  health: HealthRegistry;
}

/** Who is calling. A real product takes this from its session; the demo reads gateway headers. */
interface Caller {
  userId: string;
  plan: Plan;
  billingMode: BillingMode;
  userKey?: string;
  requestId: string;
}

class BadRequest extends Error {}

const COMPLETE_PROMPTS: readonly PromptName[] = [
  PROMPTS.assistantChat,
  PROMPTS.channelSummary,
  PROMPTS.feeAdvice,
];
const MAX_QUESTION_LENGTH = 20_000;

function header(req: Request, name: string): string | undefined {
  const value = req.get(name);
  return value === undefined || value === '' ? undefined : value;
}

function callerOf(req: Request): Caller {
  const userId = header(req, 'x-user-id');
  if (!userId || userId.length > 128)
    throw new BadRequest('x-user-id is required (at most 128 characters)');
  const plan = header(req, 'x-plan') ?? 'free';
  if (!(PLANS as readonly string[]).includes(plan))
    throw new BadRequest(`x-plan must be one of ${PLANS.join(', ')}`);
  const billingMode = header(req, 'x-billing-mode') ?? 'system';
  if (!(BILLING_MODES as readonly string[]).includes(billingMode))
    throw new BadRequest(`x-billing-mode must be one of ${BILLING_MODES.join(', ')}`);
  const userKey = header(req, 'x-provider-key');
  if (billingMode === 'byok' && !userKey)
    throw new BadRequest("x-billing-mode byok needs the user's key in x-provider-key");
  return {
    userId,
    plan: plan as Plan,
    billingMode: billingMode as BillingMode,
    userKey,
    requestId: header(req, 'x-request-id') ?? randomUUID(),
  };
}

function pubkeyOf(req: Request): string {
  const pubkey = String(req.params.pubkey ?? '').toLowerCase();
  if (!PUBKEY_PATTERN.test(pubkey))
    throw new BadRequest('pubkey must be a 33-byte compressed public key in hex (66 characters)');
  return pubkey;
}

/** Answers a failed model call with 502 and the usage the product records for it. */
function sendLlmFailure(res: Response, error: LlmCallError): void {
  res.status(502).json({ error: error.message, llm: error.usage });
}

export function createDemoApp(deps: DemoAppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.get('/health', deps.health.handler());

  app.get('/api/v1/node/:pubkey/info', async (req, res) => {
    const pubkey = pubkeyOf(req);
    const node = await cached(deps.cache, 'node-info', `node:${pubkey}`, 60, () =>
      deps.nodes.node(pubkey),
    );
    res.json(node);
  });

  app.get('/api/v1/network/status', async (_req, res) => {
    res.json(
      await cached(deps.cache, 'network-status', 'network:status', 10, () =>
        deps.nodes.networkStatus(),
      ),
    );
  });

  app.get('/api/v1/node/:pubkey/priorities', async (req, res) => {
    const caller = callerOf(req);
    const pubkey = pubkeyOf(req);
    const node = await cached(deps.cache, 'node-info', `node:${pubkey}`, 60, () =>
      deps.nodes.node(pubkey),
    );
    const prompt = prioritiesPrompt(node, caller.requestId);
    const model = modelFor(PROMPTS.nodePriorities, caller.plan);
    const result = await withAttribution(
      {
        userId: caller.userId,
        plan: caller.plan,
        billingMode: caller.billingMode,
        promptName: PROMPTS.nodePriorities,
      },
      () =>
        deps.llm.chat({
          model,
          ...prompt,
          stream: false,
          maxTokens: 2000,
          billingMode: caller.billingMode,
          userKey: caller.userKey,
        }),
    );
    // The recommendations a real model would return in structured output, drawn from the request.
    const random = new SeededRandom('recommendations', caller.requestId);
    const recommendations = [0, 1, 2].map((rank) => {
      const type = random.pick(RECOMMENDATION_TYPES);
      recordEvent('recommendation.generated', type);
      return {
        id: `${type}~${random.hex(10)}`,
        rank: rank + 1,
        type,
        summary: result.text.slice(rank * 60, rank * 60 + 120),
      };
    });
    res.json({ pubkey, recommendations, llm: result.usage });
  });

  const recommendationAction =
    (event: 'recommendation.viewed' | 'recommendation.implemented') =>
    (req: Request, res: Response) => {
      const id = String(req.params.id ?? '');
      const type = id.split('~')[0] as RecommendationType;
      if (!RECOMMENDATION_TYPES.includes(type) || !/^[a-z_]+~[0-9a-f]{10}$/.test(id)) {
        res.status(404).json({ error: `no recommendation ${id}` });
        return;
      }
      callerOf(req);
      recordEvent(event, type);
      res.status(204).end();
    };
  app.post('/api/v1/recommendations/:id/view', recommendationAction('recommendation.viewed'));
  app.post(
    '/api/v1/recommendations/:id/implement',
    recommendationAction('recommendation.implemented'),
  );

  app.post('/api/v1/complete', async (req, res) => {
    const caller = callerOf(req);
    const body = (req.body ?? {}) as {
      prompt?: unknown;
      promptName?: unknown;
      stream?: unknown;
      model?: unknown;
    };
    if (
      typeof body.prompt !== 'string' ||
      body.prompt.trim() === '' ||
      body.prompt.length > MAX_QUESTION_LENGTH
    )
      throw new BadRequest(
        `prompt must be a non-empty string of at most ${MAX_QUESTION_LENGTH} characters`,
      );
    const promptName = (body.promptName ?? PROMPTS.assistantChat) as PromptName;
    if (!COMPLETE_PROMPTS.includes(promptName))
      throw new BadRequest(`promptName must be one of ${COMPLETE_PROMPTS.join(', ')}`);
    if (body.model !== undefined && (typeof body.model !== 'string' || body.model === ''))
      throw new BadRequest('model must be a non-empty string');
    const model = (body.model as string | undefined) ?? modelFor(promptName, caller.plan);
    const result = await withAttribution(
      { userId: caller.userId, plan: caller.plan, billingMode: caller.billingMode, promptName },
      () =>
        deps.llm.chat({
          model,
          ...assistantPrompt(body.prompt as string, caller.requestId),
          stream: body.stream === true,
          billingMode: caller.billingMode,
          userKey: caller.userKey,
        }),
    );
    res.json({ text: result.text, llm: result.usage satisfies LlmUsage });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Express 5 passes rejected promises of async handlers here.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof BadRequest) return void res.status(400).json({ error: error.message });
    if (error instanceof LlmCallError) return sendLlmFailure(res, error);
    const status =
      (error as { status?: number; statusCode?: number }).status ??
      (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return void res.status(status).json({ error: (error as Error).message });
    console.error('[tokenmeter-demo] request failed:', error);
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
