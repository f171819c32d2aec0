import { DatabaseUnavailableError } from './database-errors';

/**
 * Whether writes to the ledger complete: `SELECT 1` on a spare connection says nothing about a
 * writer whose backend hangs, or whose statements time out. /healthz reports the database down while
 * a write has run longer than `stalledAfterMs`, or when the last write failed for want of the
 * database (and none has succeeded since) less than `failureMemoryMs` ago.
 */
export class WriteHealth {
  private readonly running = new Set<{ startedAt: number }>();
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private lastSuccessAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stalledAfterMs: number,
    private readonly failureMemoryMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Follows one write: its start, and whether it completed. */
  async track<T>(write: Promise<T>): Promise<T> {
    const entry = { startedAt: this.clock() };
    this.running.add(entry);
    try {
      const result = await write;
      this.lastSuccessAt = this.clock();
      return result;
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) this.lastFailureAt = this.clock();
      throw error;
    } finally {
      this.running.delete(entry);
    }
  }

  /** Why writes are not completing now, or undefined when they are. */
  problem(): string | undefined {
    const now = this.clock();
    for (const { startedAt } of this.running) {
      if (now - startedAt > this.stalledAfterMs) return 'a write has not completed';
    }
    if (
      this.lastFailureAt > this.lastSuccessAt &&
      now - this.lastFailureAt < this.failureMemoryMs
    ) {
      return 'the last write failed';
    }
    return undefined;
  }
}
