import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusBinary } from '../environment';
import { freePort } from './managed-process';

export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

export interface BackfilledPrometheus {
  url: string;
  /** Instant query at `time`; the resulting vector (a scalar comes back as one unlabelled sample). */
  query(expr: string, time: Date): Promise<PromSample[]>;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus not ready after 90 s:\n${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A real Prometheus serving `openMetrics` (backfilled with `promtool tsdb create-blocks-from
 * openmetrics`). Several texts are backfilled one by one: promtool writes 2-hour blocks and reads
 * its whole input again for each, so a long history is cheapest given as short spans (a day each).
 * With `recordingRules`, the rules are evaluated over [start, end] by `promtool tsdb
 * create-blocks-from rules` against that server, and their blocks loaded too.
 */
export async function startBackfilledPrometheus(options: {
  openMetrics: string | string[];
  recordingRules?: { files: string[]; start: Date; end: Date };
}): Promise<BackfilledPrometheus> {
  const prometheus = prometheusBinary('prometheus');
  const promtool = prometheusBinary('promtool');
  const dir = mkdtempSync(join(tmpdir(), 'tm-prom-'));
  const data = join(dir, 'data');
  const texts = Array.isArray(options.openMetrics) ? options.openMetrics : [options.openMetrics];
  texts.forEach((text, index) => {
    const file = join(dir, `data-${index}.om`);
    writeFileSync(file, text);
    execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, data], {
      stdio: 'pipe',
    });
    rmSync(file);
  });
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');

  let child: ChildProcess | undefined;
  let output = '';
  let url = '';
  const start = async (): Promise<void> => {
    // A port picked free can be taken before Prometheus binds it: try another one then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      output = '';
      child = spawn(prometheus, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${data}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitReady(url, child, () => output);
        return;
      } catch (error) {
        await stopChild(child);
        if (attempt >= 3 || !/address already in use/.test(output)) throw error;
      }
    }
  };
  await start();

  if (options.recordingRules) {
    const rulesOut = join(dir, 'rules-blocks');
    const { files, start: from, end } = options.recordingRules;
    execFileSync(
      promtool,
      [
        'tsdb',
        'create-blocks-from',
        'rules',
        `--start=${Math.floor(from.getTime() / 1000)}`,
        `--end=${Math.floor(end.getTime() / 1000)}`,
        `--url=${url}`,
        `--output-dir=${rulesOut}`,
        '--eval-interval=15s',
        ...files,
      ],
      { stdio: 'pipe' },
    );
    await stopChild(child as unknown as ChildProcess);
    for (const block of readdirSync(rulesOut))
      cpSync(join(rulesOut, block), join(data, block), { recursive: true });
    await start();
  }

  return {
    get url() {
      return url;
    },
    async query(expr, time) {
      const body = new URLSearchParams({ query: expr, time: String(time.getTime() / 1000) });
      const response = await fetch(`${url}/api/v1/query`, { method: 'POST', body });
      const json = (await response.json()) as {
        status: string;
        error?: string;
        data: {
          resultType: string;
          result: { metric: Record<string, string>; value: [number, string] }[] | [number, string];
        };
      };
      if (json.status !== 'success')
        throw new Error(`query failed: ${json.error ?? response.status}\n${expr}`);
      if (json.data.resultType === 'scalar') {
        return [{ labels: {}, value: Number((json.data.result as [number, string])[1]) }];
      }
      return (
        json.data.result as { metric: Record<string, string>; value: [number, string] }[]
      ).map((r) => ({
        labels: r.metric,
        value: Number(r.value[1]),
      }));
    },
    async stop() {
      if (child) await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
