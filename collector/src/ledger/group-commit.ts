import type { CopyRows } from './copy-text';
import type { LedgerWriter } from './ledger-writer';

export interface CommittedRows {
  /** Rows of this submission (index within it) the database refused for their content. */
  refused: { row: number; reason: string }[];
}

interface Submission {
  rows: CopyRows;
  resolve(result: CommittedRows): void;
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
 * Few writers, many requests: rows submitted while transactions run are merged into the next one,
 * so PostgreSQL gets few, large transactions (fewer rollup rows to upsert per ledger row) and
 * requests rarely wait on each other's rollup row locks. A submission's promise settles only after
 * the transaction holding its rows commits.
 */
export class GroupCommit {
  private readonly queue: Submission[] = [];
  private queuedRows = 0;
  private writing = 0;

  constructor(
    private readonly writer: Pick<LedgerWriter, 'write'>,
    private readonly options: GroupCommitOptions,
  ) {}

  get pendingRows(): number {
    return this.queuedRows;
  }

  submit(rows: CopyRows): Promise<CommittedRows> {
    if (rows.count === 0) return Promise.resolve({ refused: [] });
    if (this.queuedRows > 0 && this.queuedRows + rows.count > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(`${this.queuedRows} rows already wait for the database`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.count;
      if (this.writing < this.options.writers) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing++;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        const batches = group.map((submission) => submission.rows);
        const started = process.hrtime.bigint();
        try {
          const result = await this.writer.write(batches);
          this.options.onCommit?.({
            rows: batches.reduce((sum, batch) => sum + batch.count, 0),
            inserted: result.inserted,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
          // The writer numbers rows across the whole group; each submission gets back its own.
          let first = 0;
          for (const submission of group) {
            const end = first + submission.rows.count;
            const refused = result.refused
              .filter(({ row }) => row >= first && row < end)
              .map(({ row, reason }) => ({ row: row - first, reason }));
            submission.resolve({ refused });
            first = end;
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
      if (group.length > 0 && rows + next.rows.count > this.options.maxRowsPerCommit) break;
      group.push(this.queue.shift()!);
      rows += next.rows.count;
      this.queuedRows -= next.rows.count;
    }
    return group;
  }
}
