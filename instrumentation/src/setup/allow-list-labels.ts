import type { Attributes } from '@opentelemetry/api';
import type { IAttributesProcessor } from '@opentelemetry/sdk-metrics';

/**
 * A View's attribute allow-list that filters each label object once. The SDK's own allow-list
 * builds a new object for every data point; this one remembers its answer for frozen label objects
 * (Tokenmeter's label sets are built once, frozen and reused): the object itself when it holds only
 * allowed names, else its filtered copy. Objects that are not frozen — their owner could still
 * change them after the SDK keeps them — are filtered into a new copy every time, as the SDK does.
 */
export class AllowListLabels implements IAttributesProcessor {
  private readonly allowed: ReadonlySet<string>;
  private readonly processed = new WeakMap<Attributes, Attributes>();

  constructor(allowedNames: readonly string[]) {
    this.allowed = new Set(allowedNames);
  }

  process(incoming: Attributes): Attributes {
    const known = this.processed.get(incoming);
    if (known) return known;
    const filtered: Attributes = {};
    let dropped = false;
    for (const name of Object.keys(incoming)) {
      if (this.allowed.has(name)) filtered[name] = incoming[name];
      else dropped = true;
    }
    if (!Object.isFrozen(incoming)) return filtered;
    const result = dropped ? Object.freeze(filtered) : incoming;
    this.processed.set(incoming, result);
    return result;
  }
}
