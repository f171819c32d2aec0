import { context, propagation, type Baggage, type Context } from '@opentelemetry/api';
import {
  ATTR_ENDUSER_ID,
  ATTR_TOKENMETER_BILLING_MODE,
  ATTR_TOKENMETER_PLAN,
  ATTR_TOKENMETER_PROMPT_NAME,
  BILLING_MODES,
  PLANS,
  type BillingMode,
  type Plan,
} from '@tokenmeter/conventions';

/** On whose behalf, for which feature and under which commercial terms model calls are made. */
export interface Attribution {
  userId?: string;
  promptName?: string;
  plan?: Plan;
  billingMode?: BillingMode;
}

// Attribution travels as W3C baggage (keys = the span attribute names), so it crosses service
// hops wherever the baggage propagator runs (the default of setupTokenmeter).
const BAGGAGE_KEYS = {
  userId: ATTR_ENDUSER_ID,
  promptName: ATTR_TOKENMETER_PROMPT_NAME,
  plan: ATTR_TOKENMETER_PLAN,
  billingMode: ATTR_TOKENMETER_BILLING_MODE,
} as const;

const MAX_VALUE_LENGTH = 256;

function checkValue(field: keyof Attribution, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH) {
    throw new TypeError(
      `withAttribution: ${field} must be a non-empty string of at most ${MAX_VALUE_LENGTH} characters, got ${JSON.stringify(value)}`,
    );
  }
  if (field === 'plan' && !(PLANS as readonly string[]).includes(value)) {
    throw new TypeError(
      `withAttribution: plan must be one of ${PLANS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  if (field === 'billingMode' && !(BILLING_MODES as readonly string[]).includes(value)) {
    throw new TypeError(
      `withAttribution: billingMode must be one of ${BILLING_MODES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A context carrying the attribution, merged over any attribution already in `parent`. */
export function contextWithAttribution(
  attribution: Attribution,
  parent: Context = context.active(),
): Context {
  let baggage: Baggage = propagation.getBaggage(parent) ?? propagation.createBaggage();
  for (const field of Object.keys(BAGGAGE_KEYS) as (keyof Attribution)[]) {
    const value = checkValue(field, attribution[field]);
    if (value !== undefined) baggage = baggage.setEntry(BAGGAGE_KEYS[field], { value });
  }
  return propagation.setBaggage(parent, baggage);
}

/**
 * Runs `fn` on behalf of a user, prompt, plan and billing mode: every model call inside (also in
 * downstream services reached with trace propagation) is attributed to them. Invalid values throw
 * a TypeError before `fn` runs.
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  return context.with(contextWithAttribution(attribution), fn);
}

function readPlan(value: string | undefined): Plan | undefined {
  return value !== undefined && (PLANS as readonly string[]).includes(value)
    ? (value as Plan)
    : undefined;
}

function readBillingMode(value: string | undefined): BillingMode | undefined {
  return value !== undefined && (BILLING_MODES as readonly string[]).includes(value)
    ? (value as BillingMode)
    : undefined;
}

/** Attribution read from baggage; values arriving from other services are re-checked. */
function readAttribution(baggage: Baggage): Attribution {
  const attribution: Attribution = {};
  const userId = baggage.getEntry(ATTR_ENDUSER_ID)?.value;
  if (userId) attribution.userId = userId.slice(0, MAX_VALUE_LENGTH);
  const promptName = baggage.getEntry(ATTR_TOKENMETER_PROMPT_NAME)?.value;
  if (promptName) attribution.promptName = promptName.slice(0, MAX_VALUE_LENGTH);
  const plan = readPlan(baggage.getEntry(ATTR_TOKENMETER_PLAN)?.value);
  if (plan) attribution.plan = plan;
  const billingMode = readBillingMode(baggage.getEntry(ATTR_TOKENMETER_BILLING_MODE)?.value);
  if (billingMode) attribution.billingMode = billingMode;
  return attribution;
}

// Baggage is immutable: one request's model calls share one object, so it is read once.
const attributionByBaggage = new WeakMap<Baggage, Readonly<Attribution>>();
const NO_ATTRIBUTION: Readonly<Attribution> = Object.freeze({});

/** The attribution in force in a context, shared and read-only (for the hot path). */
export function attributionIn(ctx: Context): Readonly<Attribution> {
  const baggage = propagation.getBaggage(ctx);
  if (!baggage) return NO_ATTRIBUTION;
  let attribution = attributionByBaggage.get(baggage);
  if (!attribution) {
    attribution = Object.freeze(readAttribution(baggage));
    attributionByBaggage.set(baggage, attribution);
  }
  return attribution;
}

/** The attribution in force in a context (values arriving from other services are re-checked). */
export function currentAttribution(ctx: Context = context.active()): Attribution {
  return { ...attributionIn(ctx) };
}
