import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { COLLECTOR_CONFIG } from '@tokenmeter/test-support';
import {
  DIALECTS,
  FIELD_NAMES,
  FIELD_SLOTS,
  LEDGER_FIELDS,
  collectorDropCondition,
  errorTypeName,
  invocationParameters,
  isContentAttribute,
  isStreamedOperation,
  modelOperation,
  providerName,
  requestedAndAnswered,
  type AcceptedName,
  type DialectId,
} from '.';

describe('the dialect table', () => {
  it('lists each attribute name once, for one field, and names only known dialects', () => {
    const keys = LEDGER_FIELDS.flatMap((field) =>
      (FIELD_NAMES[field] as readonly AcceptedName[]).map((name) => name.key),
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(FIELD_SLOTS.size).toBe(keys.length);
    const used = new Set(
      LEDGER_FIELDS.flatMap((field) =>
        (FIELD_NAMES[field] as readonly AcceptedName[]).flatMap((name) => name.dialects),
      ),
    );
    expect([...used].sort()).toEqual((Object.keys(DIALECTS) as DialectId[]).sort());
  });

  it('gives every operation name a rule, every cache name its counting, every duration its unit', () => {
    expect(FIELD_NAMES.operation.every((name) => name.operation !== undefined)).toBe(true);
    for (const name of [...FIELD_NAMES.cacheReadTokens, ...FIELD_NAMES.cacheWriteTokens])
      expect(['inside', 'beside']).toContain(name.cache);
    expect(FIELD_NAMES.timeToFirstToken.every((name) => name.unit !== undefined)).toBe(true);
  });

  it('is what the Collector filter of otelcol.yaml says, word for word', () => {
    const config = parse(readFileSync(COLLECTOR_CONFIG, 'utf8')) as {
      processors: Record<string, { trace_conditions: string[] }>;
      service: { pipelines: { traces: { processors: string[] } } };
    };
    expect(config.service.pipelines.traces.processors).toContain('filter/genai_spans');
    // Regenerate with: node -e "console.log(require('./collector/dist/dialects').collectorDropCondition())"
    expect(config.processors['filter/genai_spans']!.trace_conditions).toEqual([
      collectorDropCondition(),
    ]);
  });
});

describe('modelOperation', () => {
  it('bills client inference operations and never agent, workflow or tool spans', () => {
    expect(modelOperation('semconv', 'chat')).toEqual('chat');
    expect(modelOperation('semconv', 'generate_content')).toEqual('generate_content');
    for (const operation of [
      'invoke_agent',
      'create_agent',
      'invoke_workflow',
      'execute_tool',
      'plan',
      '',
    ]) {
      expect(modelOperation('semconv', operation)).toBeUndefined();
    }
  });

  it('infers the operation from OpenInference span kinds, OpenLLMetry request types and AI SDK operation ids', () => {
    expect(modelOperation('openinference-kind', 'LLM')).toEqual('chat');
    expect(modelOperation('openinference-kind', 'EMBEDDING')).toEqual('embeddings');
    for (const kind of ['AGENT', 'CHAIN', 'TOOL', 'RETRIEVER', 'RERANKER', 'GUARDRAIL', 'llm'])
      expect(modelOperation('openinference-kind', kind)).toBeUndefined();
    expect(modelOperation('openllmetry-request-type', 'completion')).toEqual('text_completion');
    expect(modelOperation('openllmetry-request-type', 'embedding')).toEqual('embeddings');
    expect(modelOperation('openllmetry-request-type', 'unknown')).toEqual('unknown');
    expect(modelOperation('vercel-operation-id', 'ai.streamText.doStream')).toEqual('chat');
    expect(modelOperation('vercel-operation-id', 'ai.generateObject.doGenerate')).toEqual('chat');
    expect(modelOperation('vercel-operation-id', 'ai.embedMany.doEmbed')).toEqual('embeddings');
    for (const id of ['ai.generateText', 'ai.streamText', 'ai.toolCall', 'ai.embed'])
      expect(modelOperation('vercel-operation-id', id)).toBeUndefined();
  });
});

describe('isStreamedOperation', () => {
  it('knows a streamed AI SDK provider call by its operation id', () => {
    expect(isStreamedOperation('vercel-operation-id', 'ai.streamText.doStream')).toBe(true);
    expect(isStreamedOperation('vercel-operation-id', 'ai.generateText.doGenerate')).toBe(false);
    expect(isStreamedOperation('semconv', 'chat')).toBe(false);
  });
});

describe('providerName', () => {
  it('writes every dialect’s provider as the semconv ≥ 1.37 well-known value', () => {
    expect(providerName('openai', undefined)).toBe('openai');
    expect(providerName('Anthropic', undefined)).toBe('anthropic');
    expect(providerName('gemini', undefined)).toBe('gcp.gemini');
    expect(providerName('az.ai.openai', undefined)).toBe('azure.ai.openai');
    expect(providerName('mistralai', undefined)).toBe('mistral_ai');
    expect(providerName('aws.bedrock', undefined)).toBe('aws.bedrock');
    expect(providerName('openai.chat', 'vercel')).toBe('openai');
    expect(providerName('anthropic.messages', 'vercel')).toBe('anthropic');
    expect(providerName('google.generative-ai', 'vercel')).toBe('gcp.gemini');
    expect(providerName('google.vertex.chat', 'vercel')).toBe('gcp.vertex_ai');
    expect(providerName('amazon-bedrock', 'vercel')).toBe('aws.bedrock');
  });
});

describe('errorTypeName', () => {
  it('keeps the class name of Python, Java and dotted error types and semconv values as they are', () => {
    expect(errorTypeName("<class 'openai.BadRequestError'>")).toBe('BadRequestError');
    expect(errorTypeName("<class 'TimeoutError'>")).toBe('TimeoutError');
    expect(errorTypeName('openai.RateLimitError')).toBe('RateLimitError');
    expect(errorTypeName('java.net.SocketTimeoutException')).toBe('SocketTimeoutException');
    for (const value of ['timeout', '500', 'rate_limit_exceeded', '_OTHER', 'Error: boom.', 'v1.2'])
      expect(errorTypeName(value)).toBe(value);
  });
});

describe("OpenInference's request parameters and model names", () => {
  it('reads the requested model and the stream flag of llm.invocation_parameters, and nothing of text that is not a JSON object', () => {
    expect(
      invocationParameters(
        '{"model": "o4-mini", "stream": true, "stream_options": {"include_usage": true}}',
      ),
    ).toEqual({ model: 'o4-mini', stream: true });
    expect(invocationParameters('{"model":"gpt-4o","temperature":7}')).toEqual({ model: 'gpt-4o' });
    for (const value of [
      '',
      'o4-mini',
      '{"model": ',
      '[1]',
      'null',
      '{"model": 4, "stream": "yes"}',
      42,
      undefined,
    ])
      expect(invocationParameters(value)).toEqual({});
    expect(invocationParameters(`{"model":"m","pad":"${'x'.repeat(20_000)}"}`)).toEqual({});
  });

  it("takes the parameters' model as the requested one and a different llm.model_name as the answered one", () => {
    const form = 'answered-or-requested' as const;
    // A response named its snapshot: llm.model_name is the answered model.
    expect(requestedAndAnswered('o4-mini-2025-04-16', form, undefined, 'o4-mini')).toEqual({
      request: 'o4-mini',
      response: 'o4-mini-2025-04-16',
    });
    // No response (a streamed call the emitter did not follow, a refused call).
    expect(requestedAndAnswered('o4-mini', form, undefined, 'o4-mini')).toEqual({
      request: 'o4-mini',
      response: undefined,
    });
    expect(requestedAndAnswered(undefined, undefined, undefined, 'o4-mini')).toEqual({
      request: 'o4-mini',
      response: undefined,
    });
    // Without parameters llm.model_name stands for the requested model, as before.
    expect(requestedAndAnswered('claude-sonnet-4-5', form, undefined, undefined)).toEqual({
      request: 'claude-sonnet-4-5',
      response: undefined,
    });
    // gen_ai.request.model is never overridden.
    expect(requestedAndAnswered('gpt-4o', undefined, 'gpt-4o-2024-08-06', 'o4-mini')).toEqual({
      request: 'gpt-4o',
      response: 'gpt-4o-2024-08-06',
    });
  });
});

describe('isContentAttribute', () => {
  it('knows the message content of every dialect, exact and indexed', () => {
    for (const key of [
      'gen_ai.input.messages',
      'input.value',
      'llm.input_messages.3.message.content',
      'gen_ai.prompt.0.content',
      'ai.prompt.messages',
      'ai.response.text',
      'traceloop.entity.output',
    ]) {
      expect(isContentAttribute(key)).toBe(true);
    }
    for (const key of [
      'gen_ai.request.model',
      'llm.invocation_parameters',
      'ai.response.finishReason',
      'gen_ai.promptx',
    ])
      expect(isContentAttribute(key)).toBe(false);
  });
});
