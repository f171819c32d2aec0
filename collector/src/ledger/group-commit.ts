import type { LedgerWriter } from './ledger-writer';
import type { LlmCall } from './llm-call';

export interface CommittedCalls {
  /** Calls of this submission the database refused for their content. */
  refused: { call: LlmCall; reason: string }[];
}

interface Submission {
  calls: readonly LlmCall[];
  resolve(result: CommittedCalls): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most rows written in one transaction (several submissions are merged up to this). */
  maxRowsPerCommit: number;
  /** Rows waiting beyond this make submit() refuse at once (the sink answers 503). */
  maxQueuedRows: number;
  /** Transactions running at once (each on its own connection). */
  writers: number;
  onCommit?: (result: { rows: number; inserted: number; seconds: number }) => void;
}

/** submit() refused: too many rows already wait for the database. */
export class QueueFullError extends Error {}

/**
 * Few writers, many requests: calls submitted while transactions run are merged into the next one,
 * so PostgreSQL gets few, large transactions and requests rarely wait on each other's rollup row
 * locks. A submission's promise settles only after the transaction holding its calls commits.
 */
export class GroupCommit {
  private readonly queue: Submission[] = [];
  private queuedRows = 0;
  private writing = 0;

  constructor(
    private readonly writer: LedgerWriter,
    private readonly options: GroupCommitOptions,
  ) {}

  get pendingRows(): number {
    return this.queuedRows;
  }

  submit(calls: readonly LlmCall[]): Promise<CommittedCalls> {
    if (calls.length === 0) return Promise.resolve({ refused: [] });
    if (this.queuedRows > 0 && this.queuedRows + calls.length > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(`${this.queuedRows} rows already wait for the database`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ calls, resolve, reject });
      this.queuedRows += calls.length;
      if (this.writing < this.options.writers) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing++;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        const calls = group.flatMap((submission) => submission.calls);
        const started = process.hrtime.bigint();
        try {
          const result = await this.writer.write(calls);
          this.options.onCommit?.({
            rows: calls.length,
            inserted: result.inserted,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
          const refusedReason = new Map(result.refused.map(({ call, reason }) => [call, reason]));
          for (const submission of group) {
            const refused = refusedReason.size === 0 ? [] : submission.calls.flatMap((call) => {
              const reason = refusedReason.get(call);
              return reason === undefined ? [] : [{ call, reason }];
            });
            submission.resolve({ refused });
          }
        } catch (error) {
          for (const submission of group) submission.reject(error);
        }
      }
    } finally {
      this.writing--;
    }
  }

  private takeGroup(): Submission[] {
    const group: Submission[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && rows + next.calls.length > this.options.maxRowsPerCommit) break;
      group.push(this.queue.shift()!);
      rows += next.calls.length;
      this.queuedRows -= next.calls.length;
    }
    return group;
  }
}
