// One fixture per GenAI dialect: the spans an emitter of that dialect sends for a small agent run
// (attribute names and values as its published conventions write them), and what each model call
// must become in the ledger. The parent agent/workflow/chain spans repeat their children's totals
// and must never be billed. Written by hand from the conventions, not derived from the dialect
// table, so that a test comparing the two can fail.

export type FixtureValue = string | number | boolean;

/** A ledger row as the fixture expects it (the tokens already in the ledger's convention). */
export interface ExpectedCall {
  provider: string;
  operation: string;
  requestModel: string;
  responseModel: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  userId: string | null;
  sessionId: string | null;
  promptName: string | null;
  promptVersion: string | null;
  serviceTier: string | null;
  streaming: boolean;
  timeToFirstTokenMs: number | null;
  status: 'success' | 'error';
  errorType: string | null;
  costSource: 'computed' | 'reported' | 'unpriced';
  /** The provider's own cost, when the span reports one. */
  reportedCostUsd: number | null;
}

export interface FixtureSpan {
  name: string;
  /** SpanKind: 1 internal, 2 server, 3 client. */
  kind: 1 | 2 | 3;
  attributes: Record<string, FixtureValue>;
  durationMs: number;
  error?: string;
  /** The ledger row this span must become; absent = the span must not reach the ledger. */
  expected?: ExpectedCall;
}

export interface DialectFixture {
  label: string;
  spans: FixtureSpan[];
}

const NO_ATTRIBUTION = {
  userId: null,
  sessionId: null,
  promptName: null,
  promptVersion: null,
  serviceTier: null,
  streaming: false,
  timeToFirstTokenMs: null,
  status: 'success',
  errorType: null,
  costSource: 'computed',
  reportedCostUsd: null,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
} as const;

const HTTP_SPAN: FixtureSpan = {
  name: 'POST /api/answer',
  kind: 2,
  attributes: {
    'http.request.method': 'POST',
    'http.route': '/api/answer',
    'http.response.status_code': 200,
  },
  durationMs: 3000,
};

export const DIALECT_FIXTURES: DialectFixture[] = [
  {
    label: 'otel-1.30',
    spans: [
      HTTP_SPAN,
      {
        name: 'chat gpt-4o',
        kind: 3,
        durationMs: 1400,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 2100,
          'gen_ai.usage.output_tokens': 480,
          'gen_ai.openai.request.service_tier': 'auto',
          'gen_ai.openai.response.service_tier': 'default',
          'gen_ai.response.finish_reasons': 'stop',
          'server.address': 'api.openai.com',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-4o',
          responseModel: 'gpt-4o-2024-08-06',
          inputTokens: 2100,
          outputTokens: 480,
          serviceTier: 'default',
        },
      },
      {
        // The official Python instrumentation writes the exception's class as error.type.
        name: 'chat gpt-4o',
        kind: 3,
        durationMs: 90,
        error: "Error code: 400 - {'error': {'message': 'Invalid value'}}",
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'error.type': "<class 'openai.BadRequestError'>",
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-4o',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: 'BadRequestError',
        },
      },
    ],
  },
  {
    label: 'otel-1.37',
    spans: [
      {
        name: 'invoke_agent planner',
        kind: 1,
        durationMs: 5000,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'openai',
          'gen_ai.agent.name': 'planner',
          'gen_ai.request.model': 'o4-mini',
          'gen_ai.usage.input_tokens': 3000,
          'gen_ai.usage.output_tokens': 1200,
          'gen_ai.conversation.id': 'conv-137',
        },
      },
      {
        name: 'chat o4-mini',
        kind: 3,
        durationMs: 2600,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'o4-mini',
          'gen_ai.response.model': 'o4-mini-2025-04-16',
          'gen_ai.usage.input_tokens': 3000,
          'gen_ai.usage.output_tokens': 1200,
          'gen_ai.conversation.id': 'conv-137',
          'openai.request.service_tier': 'auto',
          'openai.response.service_tier': 'default',
          'enduser.id': 'user-137',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'o4-mini',
          responseModel: 'o4-mini-2025-04-16',
          inputTokens: 3000,
          outputTokens: 1200,
          userId: 'user-137',
          sessionId: 'conv-137',
          serviceTier: 'default',
        },
      },
      {
        name: 'execute_tool search',
        kind: 1,
        durationMs: 300,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'search',
          'gen_ai.provider.name': 'openai',
        },
      },
      {
        name: 'chat o4-mini',
        kind: 3,
        durationMs: 30_000,
        error: 'timed out',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'o4-mini',
          'error.type': 'timeout',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'o4-mini',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: 'timeout',
        },
      },
    ],
  },
  {
    label: 'otel-1.41',
    spans: [
      {
        name: 'invoke_agent support',
        kind: 1,
        durationMs: 9000,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.usage.input_tokens': 12000,
          'gen_ai.usage.output_tokens': 900,
          'gen_ai.usage.cache_read.input_tokens': 8000,
        },
      },
      {
        name: 'chat claude-sonnet-4-5',
        kind: 3,
        durationMs: 4200,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
          'gen_ai.usage.input_tokens': 12000,
          'gen_ai.usage.output_tokens': 900,
          'gen_ai.usage.cache_read.input_tokens': 8000,
          'gen_ai.usage.cache_creation.input_tokens': 1500,
          'gen_ai.usage.reasoning.output_tokens': 300,
          'user.id': 'user-141',
          'gen_ai.conversation.id': 'conv-141',
          'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"secret"}]}]',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-sonnet-4-5',
          responseModel: 'claude-sonnet-4-5-20250929',
          inputTokens: 12000,
          outputTokens: 900,
          cachedInputTokens: 8000,
          cacheWriteInputTokens: 1500,
          reasoningTokens: 300,
          userId: 'user-141',
          sessionId: 'conv-141',
        },
      },
      {
        name: 'chat claude-sonnet-4-5',
        kind: 3,
        durationMs: 700,
        error: 'overloaded',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'error.type': 'anthropic.OverloadedError',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-sonnet-4-5',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: 'OverloadedError',
        },
      },
    ],
  },
  {
    label: 'otel-genai-0.1',
    spans: [
      {
        name: 'invoke_workflow triage',
        kind: 1,
        durationMs: 4000,
        attributes: {
          'gen_ai.operation.name': 'invoke_workflow',
          'gen_ai.usage.input_tokens': 20000,
          'gen_ai.usage.output_tokens': 1000,
        },
      },
      {
        name: 'chat claude-haiku-4-5',
        kind: 3,
        durationMs: 2000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-haiku-4-5',
          'gen_ai.response.model': 'claude-haiku-4-5-20251001',
          'gen_ai.usage.input_tokens': 20000,
          'gen_ai.usage.output_tokens': 1000,
          'gen_ai.usage.cache_read.input_tokens': 15000,
          'gen_ai.usage.cache_write.input_tokens': 4000,
          'gen_ai.usage.reasoning.output_tokens': 250,
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': 0.35,
          'user.id': 'user-genai',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-haiku-4-5',
          responseModel: 'claude-haiku-4-5-20251001',
          inputTokens: 20000,
          outputTokens: 1000,
          cachedInputTokens: 15000,
          cacheWriteInputTokens: 4000,
          reasoningTokens: 250,
          userId: 'user-genai',
          streaming: true,
          timeToFirstTokenMs: 350,
        },
      },
      {
        name: 'chat claude-haiku-4-5',
        kind: 3,
        durationMs: 120,
        error: 'rate limited',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-haiku-4-5',
          'error.type': '429',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-haiku-4-5',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: '429',
        },
      },
    ],
  },
  {
    label: 'openllmetry-0.4',
    spans: [
      {
        name: 'support_flow.workflow',
        kind: 1,
        durationMs: 3500,
        attributes: {
          'traceloop.span.kind': 'workflow',
          'traceloop.entity.name': 'support_flow',
          'traceloop.workflow.name': 'support_flow',
          'traceloop.entity.input': '{"question":"secret"}',
        },
      },
      {
        name: 'anthropic.chat',
        kind: 3,
        durationMs: 2500,
        attributes: {
          'llm.request.type': 'chat',
          'gen_ai.system': 'Anthropic',
          'gen_ai.request.model': 'claude-3-5-haiku-20241022',
          'gen_ai.response.model': 'claude-3-5-haiku-20241022',
          // OpenLLMetry adds Anthropic's cache reads and writes into the prompt count.
          'gen_ai.usage.prompt_tokens': 5000,
          'gen_ai.usage.completion_tokens': 400,
          'llm.usage.total_tokens': 5400,
          'gen_ai.usage.cache_read_input_tokens': 3000,
          'gen_ai.usage.cache_creation_input_tokens': 500,
          'llm.is_streaming': true,
          'traceloop.association.properties.user_id': 'user-tl4',
          'traceloop.association.properties.session_id': 'session-tl4',
          'traceloop.prompt.key': 'support-answer',
          'traceloop.prompt.version': 3,
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': 'secret',
          'gen_ai.completion.0.content': 'secret',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-3-5-haiku-20241022',
          responseModel: 'claude-3-5-haiku-20241022',
          inputTokens: 5000,
          outputTokens: 400,
          cachedInputTokens: 3000,
          cacheWriteInputTokens: 500,
          userId: 'user-tl4',
          sessionId: 'session-tl4',
          promptName: 'support-answer',
          promptVersion: '3',
          streaming: true,
        },
      },
      {
        name: 'openai.chat',
        kind: 3,
        durationMs: 800,
        error: 'Error code: 429',
        attributes: {
          'llm.request.type': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'error.type': 'RateLimitError',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-4o-mini',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: 'RateLimitError',
        },
      },
    ],
  },
  {
    label: 'openllmetry-0.5',
    spans: [
      {
        name: 'researcher.agent',
        kind: 1,
        durationMs: 6000,
        attributes: {
          'traceloop.span.kind': 'agent',
          'traceloop.entity.name': 'researcher',
          'gen_ai.usage.input_tokens': 4096,
          'gen_ai.usage.output_tokens': 2048,
        },
      },
      {
        name: 'openai.chat',
        kind: 3,
        durationMs: 5100,
        attributes: {
          'llm.request.type': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-5-mini',
          'gen_ai.response.model': 'gpt-5-mini-2025-08-07',
          'gen_ai.usage.input_tokens': 4096,
          'gen_ai.usage.output_tokens': 2048,
          'gen_ai.usage.cache_read.input_tokens': 2048,
          'gen_ai.usage.reasoning_tokens': 1536,
          'gen_ai.openai.request.service_tier': 'flex',
          'llm.user': 'user-tl5',
          'llm.is_streaming': false,
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-5-mini',
          responseModel: 'gpt-5-mini-2025-08-07',
          inputTokens: 4096,
          outputTokens: 2048,
          cachedInputTokens: 2048,
          reasoningTokens: 1536,
          userId: 'user-tl5',
          serviceTier: 'flex',
        },
      },
      {
        // A call through OpenRouter to a model the catalog does not price: the provider's reported cost is the cost.
        name: 'openai.chat',
        kind: 3,
        durationMs: 1900,
        attributes: {
          'llm.request.type': 'chat',
          'gen_ai.system': 'openrouter',
          'gen_ai.request.model': 'acme/sparrow-7b',
          'gen_ai.usage.input_tokens': 1800,
          'gen_ai.usage.output_tokens': 220,
          'gen_ai.usage.cost': 0.000412,
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openrouter',
          operation: 'chat',
          requestModel: 'acme/sparrow-7b',
          responseModel: null,
          inputTokens: 1800,
          outputTokens: 220,
          costSource: 'reported',
          reportedCostUsd: 0.000412,
        },
      },
      {
        name: 'openai.embeddings',
        kind: 3,
        durationMs: 150,
        error: 'connection reset',
        attributes: {
          'llm.request.type': 'embedding',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'text-embedding-3-small',
          'error.type': 'APIConnectionError',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'embeddings',
          requestModel: 'text-embedding-3-small',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: 'APIConnectionError',
        },
      },
    ],
  },
  {
    label: 'openinference',
    spans: [
      {
        name: 'AgentExecutor',
        kind: 1,
        durationMs: 4000,
        attributes: {
          'openinference.span.kind': 'AGENT',
          'llm.token_count.prompt': 3000,
          'llm.token_count.completion': 700,
          'input.value': 'secret',
        },
      },
      {
        name: 'RunnableSequence',
        kind: 1,
        durationMs: 3900,
        attributes: {
          'openinference.span.kind': 'CHAIN',
          'llm.token_count.prompt': 3000,
          'llm.token_count.completion': 700,
        },
      },
      {
        name: 'ChatCompletion',
        kind: 1,
        durationMs: 3100,
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.system': 'openai',
          'llm.model_name': 'gpt-4.1-mini-2025-04-14',
          'llm.token_count.prompt': 3000,
          'llm.token_count.completion': 700,
          'llm.token_count.total': 3700,
          'llm.token_count.prompt_details.cache_read': 1024,
          'llm.token_count.completion_details.reasoning': 0,
          'llm.prompt_template.version': 'v7',
          'user.id': 'user-oi',
          'session.id': 'session-oi',
          'input.value': '{"messages":[{"role":"user","content":"secret"}]}',
          'output.value': 'secret',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'secret',
          'llm.output_messages.0.message.content': 'secret',
          'llm.invocation_parameters': '{"temperature":0.2}',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-4.1-mini-2025-04-14',
          responseModel: null,
          inputTokens: 3000,
          outputTokens: 700,
          cachedInputTokens: 1024,
          userId: 'user-oi',
          sessionId: 'session-oi',
          promptVersion: 'v7',
        },
      },
      {
        name: 'ChatCompletion',
        kind: 1,
        durationMs: 200,
        error: 'BadRequestError: context length exceeded',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.model_name': 'gpt-4.1-mini',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-4.1-mini',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: '_OTHER',
        },
      },
    ],
  },
  {
    // AI SDK 5 and older: the input count leaves the cached tokens out.
    label: 'vercel-ai (v5)',
    spans: [
      {
        name: 'ai.generateText',
        kind: 1,
        durationMs: 2600,
        attributes: {
          'ai.operationId': 'ai.generateText',
          'operation.name': 'ai.generateText summarise',
          'ai.model.provider': 'anthropic.messages',
          'ai.model.id': 'claude-sonnet-4-5',
          'ai.usage.inputTokens': 200,
          'ai.usage.outputTokens': 300,
          'ai.usage.cachedInputTokens': 6000,
          'ai.telemetry.functionId': 'summarise',
          'ai.prompt': '{"prompt":"secret"}',
        },
      },
      {
        name: 'ai.generateText.doGenerate',
        kind: 1,
        durationMs: 2500,
        attributes: {
          'ai.operationId': 'ai.generateText.doGenerate',
          'operation.name': 'ai.generateText.doGenerate summarise',
          'ai.model.provider': 'anthropic.messages',
          'ai.model.id': 'claude-sonnet-4-5',
          'gen_ai.system': 'anthropic.messages',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
          'ai.response.model': 'claude-sonnet-4-5-20250929',
          'ai.usage.inputTokens': 200,
          'ai.usage.outputTokens': 300,
          'ai.usage.cachedInputTokens': 6000,
          'ai.usage.reasoningTokens': 50,
          'gen_ai.usage.input_tokens': 200,
          'gen_ai.usage.output_tokens': 300,
          'ai.telemetry.functionId': 'summarise',
          'ai.telemetry.metadata.userId': 'user-v5',
          'ai.telemetry.metadata.sessionId': 'chat-v5',
          'ai.prompt.messages': '[{"role":"user","content":"secret"}]',
          'ai.response.text': 'secret',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-sonnet-4-5',
          responseModel: 'claude-sonnet-4-5-20250929',
          inputTokens: 6200,
          outputTokens: 300,
          cachedInputTokens: 6000,
          reasoningTokens: 50,
          userId: 'user-v5',
          sessionId: 'chat-v5',
          promptName: 'summarise',
        },
      },
      {
        name: 'ai.toolCall',
        kind: 1,
        durationMs: 40,
        attributes: {
          'ai.operationId': 'ai.toolCall',
          'ai.toolCall.name': 'lookup',
          'ai.toolCall.args': '{"q":"secret"}',
        },
      },
      {
        name: 'ai.generateText.doGenerate',
        kind: 1,
        durationMs: 60,
        error: 'AI_APICallError: Overloaded',
        attributes: {
          'ai.operationId': 'ai.generateText.doGenerate',
          'ai.model.provider': 'anthropic.messages',
          'ai.model.id': 'claude-sonnet-4-5',
          'ai.telemetry.functionId': 'summarise',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'anthropic',
          operation: 'chat',
          requestModel: 'claude-sonnet-4-5',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          promptName: 'summarise',
          status: 'error',
          errorType: '_OTHER',
        },
      },
    ],
  },
  {
    // AI SDK 6: the input count includes cache reads and writes, detailed under inputTokenDetails.
    label: 'vercel-ai (v6)',
    spans: [
      {
        name: 'ai.streamText',
        kind: 1,
        durationMs: 3300,
        attributes: {
          'ai.operationId': 'ai.streamText',
          'ai.model.provider': 'openai.responses',
          'ai.model.id': 'gpt-5-mini',
          'ai.usage.inputTokens': 5000,
          'ai.usage.outputTokens': 600,
        },
      },
      {
        name: 'ai.streamText.doStream',
        kind: 1,
        durationMs: 3200,
        attributes: {
          'ai.operationId': 'ai.streamText.doStream',
          'ai.model.provider': 'openai.responses',
          'ai.model.id': 'gpt-5-mini',
          'gen_ai.system': 'openai.responses',
          'gen_ai.request.model': 'gpt-5-mini',
          'ai.response.model': 'gpt-5-mini-2025-08-07',
          'ai.usage.inputTokens': 5000,
          'ai.usage.inputTokenDetails.noCacheTokens': 904,
          'ai.usage.inputTokenDetails.cacheReadTokens': 4096,
          'ai.usage.cachedInputTokens': 4096,
          'ai.usage.outputTokens': 600,
          'ai.usage.outputTokenDetails.textTokens': 472,
          'ai.usage.outputTokenDetails.reasoningTokens': 128,
          'ai.usage.reasoningTokens': 128,
          'ai.response.msToFirstChunk': 420,
          'ai.response.avgOutputTokensPerSecond': 215.5,
          'ai.telemetry.metadata.userId': 'user-v6',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'chat',
          requestModel: 'gpt-5-mini',
          responseModel: 'gpt-5-mini-2025-08-07',
          inputTokens: 5000,
          outputTokens: 600,
          cachedInputTokens: 4096,
          reasoningTokens: 128,
          userId: 'user-v6',
          streaming: true,
          timeToFirstTokenMs: 420,
        },
      },
      {
        name: 'ai.embed.doEmbed',
        kind: 1,
        durationMs: 90,
        error: 'AI_APICallError',
        attributes: {
          'ai.operationId': 'ai.embed.doEmbed',
          'ai.model.provider': 'openai.embedding',
          'ai.model.id': 'text-embedding-3-small',
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'openai',
          operation: 'embeddings',
          requestModel: 'text-embedding-3-small',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          status: 'error',
          errorType: '_OTHER',
        },
      },
    ],
  },
  {
    // An emitter in no dialect of the table: its tokens cannot be read, so the call is stored
    // unpriced with the reason, never as $0.
    label: 'unknown dialect',
    spans: [
      {
        name: 'chat acme-large',
        kind: 3,
        durationMs: 900,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'acme',
          'gen_ai.request.model': 'acme-large',
          'acme.tokens.in': 1000,
          'acme.tokens.out': 100,
        },
        expected: {
          ...NO_ATTRIBUTION,
          provider: 'acme',
          operation: 'chat',
          requestModel: 'acme-large',
          responseModel: null,
          inputTokens: 0,
          outputTokens: 0,
          costSource: 'unpriced',
        },
      },
    ],
  },
];
