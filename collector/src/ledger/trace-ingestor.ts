import type { PricingCatalog } from '@tokenmeter/conventions';
import type { OtlpSpan, OtlpTraceRequest } from '../otlp/otlp-types';
import { CopyRowsBuilder, type CopyRows } from './copy-text';
import type { GroupCommit } from './group-commit';
import { resourceServiceOf, spanToCall } from './span-to-call';

export interface IngestOutcome {
  /** Model-call spans committed (inserted now or already present). */
  accepted: number;
  ignored: number;
  rejected: number;
  /** Why spans were rejected (the first few reasons), for OTLP partial success. */
  rejectionMessage: string;
  /** Rejections by kind, for the sink's metrics. */
  rejectedInvalid: number;
  rejectedByDatabase: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const REASONS_REPORTED = 3;
const YIELD_EVERY_SPANS = 250;
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
  ) {}

  /** `decode` runs when this request's turn to be mapped comes; its errors reject the returned promise. */
  async ingest(decode: () => OtlpTraceRequest, now = Date.now()): Promise<IngestOutcome> {
    if (this.freeMappingSlots > 0) this.freeMappingSlots--;
    else await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    let mapped;
    try {
      mapped = await this.rowsOf(decode(), now);
    } finally {
      const next = this.waitingForSlot.shift();
      if (next) next();
      else this.freeMappingSlots++;
    }
    const { rows, ignored, invalid, reasons } = mapped;
    // Only the COPY text waits for the commit: the decoded request and the row objects are garbage now.
    const written = await this.commits.submit(rows);
    for (const { reason } of written.refused) if (reasons.length < REASONS_REPORTED) reasons.push(reason);
    const rejected = invalid + written.refused.length;
    return {
      accepted: rows.count - written.refused.length,
      ignored,
      rejected,
      rejectionMessage: rejected > 0 ? `${rejected} span(s) rejected: ${reasons.join('; ')}` : '',
      rejectedInvalid: invalid,
      rejectedByDatabase: written.refused.length,
    };
  }

  private async rowsOf(request: OtlpTraceRequest, now: number): Promise<{ rows: CopyRows; ignored: number; invalid: number; reasons: string[] }> {
    const rows = new CopyRowsBuilder();
    const reasons: string[] = [];
    let ignored = 0;
    let invalid = 0;
    let mapped = 0;
    const window = {
      oldestAcceptedMs: this.retentionDays > 0 ? now - this.retentionDays * DAY_MS : 0,
      newestAcceptedMs: now + DAY_MS,
    };
    for (const resourceSpans of request.resourceSpans) {
      const resource = resourceServiceOf(resourceSpans.resource?.attributes);
      const context = { service: resource.service, catalog: this.catalog, ...window };
      for (const scopeSpans of resourceSpans.scopeSpans) {
        // Each span is let go once mapped (and each row kept only as COPY text), so that garbage
        // collections during the mapping copy only what is still to be mapped.
        const spans: (OtlpSpan | undefined)[] = scopeSpans.spans;
        for (let index = 0; index < spans.length; index++) {
          // Let the event loop answer the database between slices of a large request, so that a
          // transaction in progress does not wait for this whole request to be mapped.
          if (++mapped % YIELD_EVERY_SPANS === 0) await new Promise(setImmediate);
          let verdict = spanToCall(spans[index]!, context);
          if (verdict.kind === 'call' && resource.problem) verdict = { kind: 'rejected', reason: resource.problem };
          spans[index] = undefined;
          if (verdict.kind === 'call') rows.add(verdict.call);
          else if (verdict.kind === 'ignored') ignored++;
          else {
            invalid++;
            if (reasons.length < REASONS_REPORTED) reasons.push(verdict.reason);
          }
        }
      }
    }
    return { rows: rows.finish(), ignored, invalid, reasons };
  }
}
