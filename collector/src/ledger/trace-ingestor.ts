import type { PricingCatalog } from '@tokenmeter/conventions';
import type { OtlpSpan, OtlpTraceRequest } from '../otlp/otlp-types';
import { CopyRowsBuilder, type CopyRows } from './copy-text';
import type { GroupCommit } from './group-commit';
import { genericProblem, mappingFailure, type RejectionKind } from './span-guard';
import { resourceServiceOf, spanToCall, type SpanContext, type SpanVerdict } from './span-to-call';

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

/** What the mapping stores besides the fields: the attribute allow-list, user id pseudonyms. */
export type MappingOptions = Pick<SpanContext, 'storedAttributes' | 'userIds'>;

const DAY_MS = 24 * 60 * 60 * 1000;
const REASONS_REPORTED = 3;
const YIELD_EVERY_SPANS = 250;
const MAPPINGS_AT_ONCE = 1;

/** Rejections of one request: counted by kind, the first few reasons kept for the sender. */
class Rejections {
  count = 0;
  readonly byKind: Partial<Record<RejectionKind, number>> = {};
  readonly reasons: string[] = [];

  add(kind: RejectionKind, reason: string): void {
    this.count++;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.reasons.length < REASONS_REPORTED) this.reasons.push(reason);
  }
}

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
    const { rows, ignored, rejections, droppedAttributes } = mapped;
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

  private async rowsOf(
    request: OtlpTraceRequest,
    now: number,
  ): Promise<{ rows: CopyRows; ignored: number; rejections: Rejections; droppedAttributes: IngestOutcome['droppedAttributes'] }> {
    const rows = new CopyRowsBuilder();
    const rejections = new Rejections();
    const droppedAttributes = { content: 0, not_allowed: 0 };
    let ignored = 0;
    let mapped = 0;
    let unexpected: unknown;
    const window = {
      oldestAcceptedMs: this.retentionDays > 0 ? now - this.retentionDays * DAY_MS : 0,
      newestAcceptedMs: now + DAY_MS,
    };
    for (const resourceSpans of request.resourceSpans) {
      let resource: ReturnType<typeof resourceServiceOf>;
      try {
        resource = resourceServiceOf(resourceSpans.resource?.attributes);
      } catch (error) {
        resource = { service: 'unknown_service', problem: `resource ${mappingFailure(error).reason}` };
      }
      const context: SpanContext = { service: resource.service, catalog: this.catalog, ...window, ...this.mapping };
      for (const scopeSpans of resourceSpans.scopeSpans) {
        // Each span is let go once mapped (and each row kept only as COPY text), so that garbage
        // collections during the mapping copy only what is still to be mapped.
        const spans: (OtlpSpan | undefined)[] = scopeSpans.spans;
        for (let index = 0; index < spans.length; index++) {
          // Let the event loop answer the database between slices of a large request, so that a
          // transaction in progress does not wait for this whole request to be mapped.
          if (++mapped % YIELD_EVERY_SPANS === 0) await new Promise(setImmediate);
          const span = spans[index]!;
          spans[index] = undefined;
          const problem = genericProblem(span);
          if (problem) {
            rejections.add(problem.kind, problem.reason);
            continue;
          }
          // Whatever one span holds, it is rejected alone: the other spans of the request are stored.
          try {
            const verdict: SpanVerdict = spanToCall(span, context);
            if (verdict.kind === 'ignored') ignored++;
            else if (verdict.kind === 'rejected') rejections.add('invalid_span', verdict.reason);
            else if (resource.problem) rejections.add('invalid_span', resource.problem);
            else {
              rows.add(verdict.call); // adds the whole COPY line or, when it throws, nothing
              droppedAttributes.content += verdict.droppedContent;
              droppedAttributes.not_allowed += verdict.droppedNotAllowed;
            }
          } catch (error) {
            const failure = mappingFailure(error);
            if (failure.kind === 'unmappable_span') unexpected ??= error;
            rejections.add(failure.kind, failure.reason);
          }
        }
      }
    }
    if (unexpected) this.log(`a span could not be mapped (rejected alone): ${(unexpected as Error)?.stack ?? String(unexpected)}`);
    return { rows: rows.finish(), ignored, rejections, droppedAttributes };
  }
}
