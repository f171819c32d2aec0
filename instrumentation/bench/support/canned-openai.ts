// An OpenAI chat-completions answer served by an in-process `fetch`: the benchmark measures the
// client and its instrumentation, never a network or a server.

const MODEL = 'gpt-4o-mini-2024-07-18';

// Usage with cached and reasoning tokens, so every instrumentation has all it can record.
const USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 300,
  total_tokens: 1500,
  prompt_tokens_details: { cached_tokens: 1000 },
  completion_tokens_details: { reasoning_tokens: 200 },
};

export const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1764892800,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Rebalance towards the larger channel.',
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: USAGE,
});

function chunk(choices: unknown[], usage: unknown = null): string {
  const body = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1764892800,
    model: MODEL,
    choices,
    usage,
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** A streamed answer of `contentChunks` content chunks, then the finish chunk and the usage-only chunk. */
function streamBody(contentChunks: number): Uint8Array {
  let text = chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  for (let i = 0; i < contentChunks; i++)
    text += chunk([{ index: 0, delta: { content: `word${i} ` }, finish_reason: null }]);
  text += chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
  text += chunk([], USAGE);
  text += 'data: [DONE]\n\n';
  return new TextEncoder().encode(text);
}

/** Chunks the caller sees per streamed call besides the content chunks: role, finish and usage. */
export const EXTRA_STREAM_CHUNKS = 3;

const JSON_HEADERS = { 'content-type': 'application/json', 'x-request-id': 'req_bench' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'x-request-id': 'req_bench' };

/**
 * A `fetch` for the openai client that answers every chat completion at once: a JSON completion,
 * or, when the request asks for a stream, `contentChunks` content chunks then the finish and usage
 * chunks.
 */
export function cannedOpenAIFetch(contentChunks = 8): typeof fetch {
  const stream = streamBody(contentChunks);
  return async (_url, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    if (!body.includes('"stream":true'))
      return new Response(COMPLETION, { status: 200, headers: JSON_HEADERS });
    return new Response(stream, { status: 200, headers: SSE_HEADERS });
  };
}
