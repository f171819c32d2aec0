import OpenAI from 'openai';
import { startSimulatedProvider, type RunningProvider } from './simulated-provider';
import { answerChat, DEFAULT_SIMULATION } from './answer-model';

describe('simulated provider', () => {
  let provider: RunningProvider;
  let client: OpenAI;

  beforeAll(async () => {
    provider = await startSimulatedProvider({
      latencyScale: 0.02,
      transientErrorRate: 0,
      rejectRate: 0,
    });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: provider.baseURL, maxRetries: 0 });
  });
  afterAll(() => provider.stop());

  const messages = (text: string): OpenAI.Chat.ChatCompletionMessageParam[] => [
    { role: 'system', content: 'You are terse. '.repeat(400) },
    { role: 'user', content: text },
  ];

  it('answers the same request with the same usage, with cached and reasoning tokens', async () => {
    const first = await client.chat.completions.create({
      model: 'gpt-5.4',
      messages: messages('same question'),
    });
    const again = await client.chat.completions.create({
      model: 'gpt-5.4',
      messages: messages('same question'),
    });
    expect(again.usage).toEqual(first.usage);
    expect(first.model).toBe('gpt-5.4-2026-03-05');
    expect(first.usage!.prompt_tokens).toBeGreaterThan(1024);
    expect(first.usage!.total_tokens).toBe(
      first.usage!.prompt_tokens + first.usage!.completion_tokens,
    );
    expect(first.usage!.completion_tokens).toBeGreaterThanOrEqual(
      first.usage!.completion_tokens_details!.reasoning_tokens!,
    );
  });

  it('streams the text and ends with the usage when asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: messages('stream please'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.Completions.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const plain = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: messages('stream please'),
    });
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(usage).toEqual(plain.usage);
    expect(usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
  });

  it('refuses unknown models and missing keys like the real API', async () => {
    await expect(
      client.chat.completions.create({ model: 'gpt-0', messages: messages('x') }),
    ).rejects.toThrow(/does not exist/);
    const anonymous = new OpenAI({ apiKey: 'not-a-key', baseURL: provider.baseURL, maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toThrow(/Incorrect API key/);
    expect((await client.models.list()).data.map((model) => model.id)).toContain('o4-mini');
  });

  it('fails a small, seeded share of attempts, and a retried attempt may succeed', () => {
    const outcomes = Array.from({ length: 800 }, (_, i) =>
      answerChat(DEFAULT_SIMULATION, {
        model: 'gpt-5.4-mini',
        promptText: `q${i}`,
        messages: 1,
        attempt: 0,
      }),
    );
    const failures = outcomes.filter((answer) => answer.kind === 'failure');
    expect(failures.length / outcomes.length).toBeGreaterThan(0.02);
    expect(failures.length / outcomes.length).toBeLessThan(0.09);
    const transient = outcomes.findIndex(
      (answer) => answer.kind === 'failure' && answer.status === 429,
    );
    const retried = [1, 2].map((attempt) =>
      answerChat(DEFAULT_SIMULATION, {
        model: 'gpt-5.4-mini',
        promptText: `q${transient}`,
        messages: 1,
        attempt,
      }),
    );
    expect(retried.some((answer) => answer.kind === 'completion')).toBe(true);
  });
});
