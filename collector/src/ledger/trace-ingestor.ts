import type { PricingCatalog } from '@tokenmeter/conventions';
import type { TraceRequestView } from '../otlp/span-view';
import type { GroupCommit } from './group-commit';
import { requestRows, type MappingOptions } from './request-rows';
import type { RejectionKind } from './span-guard';

export type { MappingOptions };

export interface IngestOutcome {
  /** Model-call spans committed (inserted now or already present). */
  accepted: number;
  ignored: number;
  rejected: number;
  /** Why spans were rejected (the first few reasons), for OTLP partial success. */
  rejectionMessage: string;
  /** Rejections by kind, for the sink's metrics. */
  rejectedByKind: Partial<Record<RejectionKind, number>>;
  /** Attributes of stored calls left out of the ledger, by reason, for the sink's metrics. */
  droppedAttributes: { content: number; not_allowed: number };
}

const MAPPINGS_AT_ONCE = 1;

/** Turns OTLP trace requests into committed ledger rows. */
export class TraceIngestor {
  // At most MAPPINGS_AT_ONCE requests are decoded and mapped at a time (yielding to the event loop
  // in between), which bounds the decoded requests held in memory however many requests wait; the
  // rows then wait for their commit as COPY text. One at a time, as the mapping has the one thread
  // to itself anyway: a decoded request then dies young instead of being promoted to V8's old
  // generation, which halved the garbage collection time per span.
  private freeMappingSlots = MAPPINGS_AT_ONCE;
  private readonly waitingForSlot: (() => void)[] = [];

  constructor(
    private readonly commits: GroupCommit,
    private readonly catalog: PricingCatalog,
    private readonly retentionDays: number,
    private readonly log: (message: string) => void = () => undefined,
    private readonly mapping: MappingOptions = {},
  ) {}

  /** `decode` runs when this request's turn to be mapped comes; its errors reject the returned promise. */
  async ingest(decode: () => TraceRequestView, now = Date.now()): Promise<IngestOutcome> {
    if (this.freeMappingSlots > 0) this.freeMappingSlots--;
    else await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    let mapped;
    try {
      mapped = await requestRows(decode(), { catalog: this.catalog, retentionDays: this.retentionDays, ...this.mapping }, now);
    } finally {
      const next = this.waitingForSlot.shift();
      if (next) next();
      else this.freeMappingSlots++;
    }
    const { rows, ignored, rejections, droppedAttributes, unexpected } = mapped;
    if (unexpected) this.log(`a span could not be mapped (rejected alone): ${(unexpected as Error)?.stack ?? String(unexpected)}`);
    // Only the COPY text waits for the commit: the decoded request and the row objects are garbage now.
    const written = await this.commits.submit(rows);
    for (const { reason } of written.refused) rejections.add('refused_by_database', reason);
    const rejected = rejections.count;
    return {
      accepted: rows.count - written.refused.length,
      ignored,
      rejected,
      rejectionMessage: rejected > 0 ? `${rejected} span(s) rejected: ${rejections.reasons.join('; ')}` : '',
      rejectedByKind: rejections.byKind,
      droppedAttributes,
    };
  }
}
