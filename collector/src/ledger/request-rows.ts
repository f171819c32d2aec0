// One decoded request mapped to ledger rows: a verdict per span (stored as a COPY line, ignored, or
// rejected with its reason), resource by resource.
import type { PricingCatalog } from '@tokenmeter/conventions';
import type { TraceRequestView } from '../otlp/span-view';
import { CopyRowsBuilder, type CopyRows } from './copy-text';
import { genericProblem, mappingFailure, type RejectionKind } from './span-guard';
import { resourceServiceOf, spanToCall, type SpanContext, type SpanVerdict } from './span-to-call';

/** What the mapping stores besides the fields: the attribute allow-list, user id pseudonyms. */
export type MappingOptions = Pick<SpanContext, 'storedAttributes' | 'userIds'>;

export interface RowOptions extends MappingOptions {
  catalog: PricingCatalog;
  /** Spans older than this many days are refused (0: no limit). */
  retentionDays: number;
}

export interface RequestRows {
  rows: CopyRows;
  ignored: number;
  rejections: Rejections;
  /** Attributes of stored calls left out of the ledger, by reason. */
  droppedAttributes: { content: number; not_allowed: number };
  /** The first error the mapping did not expect (its span was rejected alone), for the log. */
  unexpected?: unknown;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const REASONS_REPORTED = 3;
const YIELD_EVERY_SPANS = 250;

/** Rejections of one request: counted by kind, the first few reasons kept for the sender. */
export class Rejections {
  count = 0;
  readonly byKind: Partial<Record<RejectionKind, number>> = {};
  readonly reasons: string[] = [];

  add(kind: RejectionKind, reason: string): void {
    this.count++;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.reasons.length < REASONS_REPORTED) this.reasons.push(reason);
  }
}

/** Maps every span of `request`, yielding to the event loop now and then (a request may hold thousands). */
export async function requestRows(request: TraceRequestView, options: RowOptions, now = Date.now()): Promise<RequestRows> {
  const rows = new CopyRowsBuilder();
  const rejections = new Rejections();
  const droppedAttributes = { content: 0, not_allowed: 0 };
  let ignored = 0;
  let mapped = 0;
  let unexpected: unknown;
  const window = {
    oldestAcceptedMs: options.retentionDays > 0 ? now - options.retentionDays * DAY_MS : 0,
    newestAcceptedMs: now + DAY_MS,
  };
  for (let r = 0; r < request.resourceCount; r++) {
    let resource: ReturnType<typeof resourceServiceOf>;
    try {
      resource = resourceServiceOf(request.resourceAttributes(r));
    } catch (error) {
      resource = { service: 'unknown_service', problem: `resource ${mappingFailure(error).reason}` };
    }
    const context: SpanContext = { service: resource.service, catalog: options.catalog, ...window, storedAttributes: options.storedAttributes, userIds: options.userIds };
    const spans = request.spanCount(r);
    for (let index = 0; index < spans; index++) {
      // Let the event loop answer the database between slices of a large request, so that a
      // transaction in progress does not wait for this whole request to be mapped.
      if (++mapped % YIELD_EVERY_SPANS === 0) await new Promise(setImmediate);
      const span = request.span(r, index);
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
  return { rows: rows.finish(), ignored, rejections, droppedAttributes, unexpected };
}
