// Live traffic against the demo service: seeded user sessions at a chosen rate. Action `i` of a
// seed is always the same request, so a run with the same seed and count is reproducible.
import { setTimeout as sleep } from 'node:timers/promises';
import { SeededRandom } from '../random';
import { PROMPTS, type DemoUser, type PromptName } from '../world';
import { questionFor } from './questions';
import { Tally, type CallRecord } from './tally';

export interface LiveTrafficOptions {
  serviceUrl: string;
  seed: string;
  users: readonly DemoUser[];
  /** Actions started per second. */
  ratePerSecond: number;
  /** Stop after this many actions (default: until the signal aborts). */
  actions?: number;
  /** Most actions in flight at once (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Receives each finished action's outcome (e.g. for a progress line). */
  onAction?: (tally: Tally) => void;
}

interface Identity {
  'x-user-id': string;
  'x-plan': string;
  'x-billing-mode': string;
  'x-request-id': string;
  'x-provider-key'?: string;
}

const COMPLETE_PROMPTS: readonly (readonly [PromptName, number])[] = [
  [PROMPTS.assistantChat, 5],
  [PROMPTS.channelSummary, 2],
  [PROMPTS.feeAdvice, 2],
];

function identityOf(user: DemoUser, requestId: string): Identity {
  const identity: Identity = {
    'x-user-id': user.id,
    'x-plan': user.plan,
    'x-billing-mode': user.billingMode,
    'x-request-id': requestId,
  };
  if (user.billingMode === 'byok') identity['x-provider-key'] = `sk-byok-${user.id}`;
  return identity;
}

/** One HTTP request; counts the model call its answer reports (`llm`), if any. */
async function call(
  tally: Tally,
  userId: string,
  url: string,
  init: RequestInit,
): Promise<Record<string, unknown> | undefined> {
  const at = new Date();
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    tally.httpFailures++;
    return undefined;
  }
  tally.httpRequests++;
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const llm = body?.llm as CallRecord | undefined;
  if (llm && typeof llm.model === 'string') tally.add(llm, userId, at);
  else if (!response.ok) tally.httpFailures++;
  return response.ok ? body : undefined;
}

/** Runs action `index` of the seed: one user session step (and its follow-ups). */
async function runAction(options: LiveTrafficOptions, index: number, tally: Tally): Promise<void> {
  const random = new SeededRandom(options.seed, 'action', index);
  const user = random.weighted(options.users.map((u) => [u, u.weight] as const));
  const requestId = `${options.seed}-${index}`;
  const headers = identityOf(user, requestId);
  const base = options.serviceUrl;
  // Stopping the traffic also cancels the requests in flight.
  const send = (url: string, init: RequestInit) =>
    call(tally, user.id, url, { ...init, signal: options.signal });
  const kind = random.weighted([
    ['info', 25],
    ['network', 10],
    ['priorities', 25],
    ['complete', 40],
  ] as const);
  if (kind === 'info') {
    const pubkey = random.chance(0.7) ? user.pubkey : `03${random.hex(64)}`;
    await send(`${base}/api/v1/node/${pubkey}/info`, { headers: { ...headers } });
  } else if (kind === 'network') {
    await send(`${base}/api/v1/network/status`, { headers: { ...headers } });
  } else if (kind === 'priorities') {
    const body = await send(`${base}/api/v1/node/${user.pubkey}/priorities`, {
      headers: { ...headers },
    });
    const recommendations = (body?.recommendations ?? []) as { id: string }[];
    for (const recommendation of recommendations) {
      if (!random.chance(0.6)) continue;
      await send(`${base}/api/v1/recommendations/${recommendation.id}/view`, {
        method: 'POST',
        headers: { ...headers },
      });
      if (random.chance(0.3))
        await call(
          tally,
          user.id,
          `${base}/api/v1/recommendations/${recommendation.id}/implement`,
          { method: 'POST', headers: { ...headers } },
        );
    }
  } else {
    const promptName = random.weighted(COMPLETE_PROMPTS);
    await send(`${base}/api/v1/complete`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: questionFor(random, promptName),
        promptName,
        stream: random.chance(0.5),
      }),
    });
  }
}

/** Sends actions at `ratePerSecond` until `actions` are done or the signal aborts; resolves with what was sent. */
export async function runLiveTraffic(options: LiveTrafficOptions): Promise<Tally> {
  if (!(options.ratePerSecond > 0))
    throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
  if (options.users.length === 0) throw new RangeError('live traffic needs at least one user');
  const tally = new Tally();
  const concurrency = options.concurrency ?? 16;
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  for (let index = 0; options.actions === undefined || index < options.actions; index++) {
    if (options.signal?.aborted) break;
    const due = started + (index * 1000) / options.ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal?.aborted) break;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const action = runAction(options, index, tally)
      .catch(() => {
        tally.httpFailures++;
      })
      .then(() => options.onAction?.(tally))
      .finally(() => inFlight.delete(action));
    inFlight.add(action);
  }
  await Promise.all(inFlight);
  return tally;
}
