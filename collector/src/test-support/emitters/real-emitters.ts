// The third-party OpenAI instrumentations the real-emitter test runs (../../dialects/real-emitters.test.ts),
// how to start each one's process, and what each one leaves off its spans — found by running them
// against the canned server, written down in collector/README.md ("Real emitters"). A gap listed
// here is asserted as such: the test fails when an emitter starts recording the figure, and when
// the ledger holds anything but what the emitter gave.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export type CallKind = 'chat' | 'stream' | 'error';
export const CALL_KINDS: readonly CallKind[] = ['chat', 'stream', 'error'];

export interface EmitterGaps {
  /** Calls whose span has no cached input token count. */
  noCachedTokens?: readonly CallKind[];
  /** Calls whose span has no reasoning token count. */
  noReasoningTokens?: readonly CallKind[];
  /** Calls whose span has no token count at all. */
  noUsage?: readonly CallKind[];
  /** Calls whose span names no answered model. */
  noResponseModel?: readonly CallKind[];
  /** Nothing on the span says the call was streamed. */
  noStreamingFlag?: boolean;
  /** The failed call gives no span at all. */
  noErrorSpan?: boolean;
  /** The failed call's span has no error type (stored as `_OTHER`). */
  noErrorType?: boolean;
}

export interface RealEmitter {
  /** Also the `--instrumentation` argument, after the language prefix. */
  id: string;
  language: 'python' | 'node';
  /** The package (and version) under test, as the README names it. */
  name: string;
  instrumentation: string;
  gaps: EmitterGaps;
}

export const REAL_EMITTERS: readonly RealEmitter[] = [
  {
    id: 'python-otel-v2',
    language: 'python',
    name: 'opentelemetry-instrumentation-openai-v2 2.4b0',
    instrumentation: 'otel-v2',
    gaps: {
      noCachedTokens: ['chat', 'stream'],
      noReasoningTokens: ['chat', 'stream'],
      noStreamingFlag: true,
    },
  },
  {
    id: 'python-openllmetry',
    language: 'python',
    name: 'opentelemetry-instrumentation-openai (OpenLLMetry) 0.62.4',
    instrumentation: 'openllmetry',
    gaps: { noReasoningTokens: ['stream'] },
  },
  {
    id: 'python-openinference',
    language: 'python',
    name: 'openinference-instrumentation-openai 0.1.66',
    instrumentation: 'openinference',
    gaps: { noErrorType: true },
  },
  {
    id: 'node-otel',
    language: 'node',
    name: '@opentelemetry/instrumentation-openai 0.21.0',
    instrumentation: 'otel',
    gaps: {
      noCachedTokens: ['chat', 'stream'],
      noReasoningTokens: ['chat', 'stream'],
      noStreamingFlag: true,
    },
  },
  {
    id: 'node-openllmetry',
    language: 'node',
    name: '@traceloop/instrumentation-openai 0.27.0',
    instrumentation: 'openllmetry',
    gaps: {
      noCachedTokens: ['chat'],
      noReasoningTokens: ['chat'],
      noUsage: ['stream'],
      noStreamingFlag: true,
      noErrorSpan: true,
    },
  },
  {
    id: 'node-openinference',
    language: 'node',
    name: '@arizeai/openinference-instrumentation-openai 4.2.7',
    instrumentation: 'openinference',
    gaps: { noUsage: ['stream'], noResponseModel: ['stream'], noErrorSpan: true },
  },
];

export interface EmitterRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface EmitterTarget {
  pythonPath: string;
  /** The canned server's base URL (`…/v1`). */
  baseUrl: string;
  otlpHttpUrl: string;
  otlpHeaders: Record<string, string>;
  service: string;
  calls: readonly CallKind[];
}

const HERE = __dirname;
const REPOSITORY = join(HERE, '..', '..', '..', '..');

/** Runs the emitter's process (its own, as a service would be) to its end; at most `timeoutMs`. */
export function runEmitter(
  emitter: RealEmitter,
  target: EmitterTarget,
  timeoutMs = 60_000,
): Promise<EmitterRun> {
  const args = [
    '--instrumentation',
    emitter.instrumentation,
    '--base-url',
    target.baseUrl,
    '--otlp-endpoint',
    target.otlpHttpUrl,
    '--service',
    target.service,
    ...Object.entries(target.otlpHeaders).flatMap(([name, value]) => [
      '--otlp-header',
      `${name}=${value}`,
    ]),
    ...target.calls,
  ];
  const [command, commandArgs] =
    emitter.language === 'python'
      ? [target.pythonPath, [join(HERE, 'python', 'emit.py'), ...args]]
      : [
          process.execPath,
          [
            '-r',
            join(REPOSITORY, 'scripts', 'register-ts.js'),
            join(HERE, 'node-emitter.ts'),
            ...args,
          ],
        ];
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS of jest (--experimental-vm-modules) is not the emitter's.
    const { NODE_OPTIONS: _jest, ...env } = process.env;
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
