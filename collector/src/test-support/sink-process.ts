// The usage sink as its own process (node dist/main.js, built by `npm run build`), so that a test can
// SIGKILL it, start it again on the same port, and tell whether a fault ended it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, waitFor } from '@tokenmeter/test-support';

const MAIN = resolve(__dirname, '../../dist/main.js');

export class SinkProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private tail = '';

  private constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly main: string,
  ) {}

  /** `main`: another build of the sink's entry point (a benchmark comparing builds). */
  static async start(
    databaseUrl: string,
    env: NodeJS.ProcessEnv = {},
    main = MAIN,
  ): Promise<SinkProcess> {
    if (!existsSync(main))
      throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    const sink = new SinkProcess(
      await freePort(),
      { TOKENMETER_DATABASE_URL: databaseUrl, TOKENMETER_SINK_HOST: '127.0.0.1', ...env },
      main,
    );
    await sink.restart();
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Still running: no fault has ended it. */
  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** The last lines it printed. */
  output(): string {
    return this.tail;
  }

  /** Starts it (again) on the same port; resolves once it answers HTTP. */
  async restart(): Promise<void> {
    const child = spawn(process.execPath, [this.main], {
      env: { ...process.env, ...this.env, TOKENMETER_SINK_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString()).slice(-8000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));
    await waitFor('the sink to listen', async () => {
      if (!this.running) throw new Error(`the sink exited:\n${this.tail}`);
      const token = this.env.TOKENMETER_INGEST_TOKEN;
      const response = await fetch(`${this.url}/metrics`, {
        signal: AbortSignal.timeout(2000),
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
      await response.arrayBuffer();
      return response.ok ? true : undefined;
    });
  }

  /** SIGKILL: nothing in progress gets to finish. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (a clean stop), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const killer = setTimeout(() => this.child!.kill('SIGKILL'), 10_000);
    this.child!.kill('SIGTERM');
    await this.exited;
    clearTimeout(killer);
  }
}
