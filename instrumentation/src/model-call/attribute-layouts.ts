// Keeps the SDK's span attribute objects in V8's fast layout when a model call's span has many
// attributes.
//
// The SDK's span stores each attribute with a computed-name store into an object that starts
// empty. V8 gives such an object a fast layout (a hidden class shared by every object with the
// same properties in the same order) for up to 19 properties; the 20th turns it into a hash table.
// A chat call's span has 20 or more (the contract's attributes and the GenAI request and response
// ones), and the hash table costs ≈ 1 µs per span: slower stores and a larger object kept until
// the batch is exported (docs/benchmarks.md, fifth attempt). That limit does not apply to
// properties defined with Object.defineProperty, and a later object given the same properties in
// the same order reuses the hidden classes made then. So, for each sequence of attribute names a
// call's span ended with (looked at on a sample of calls), one object with those properties is
// defined and kept: later spans with that sequence keep the fast layout. Only speed depends on
// it: on another engine, or for a sequence not seen, spans are as before.

/** V8 keeps a fast layout for at most this many properties stored by computed name from `{}`. */
const FAST_PROPERTIES = 19;
/** Every call is looked at first, then one in CHECK_EVERY. */
const CHECKED_FIRST = 64;
const CHECK_EVERY = 256;
/** Sequences kept at most (a sequence keeps ≈ 20 hidden classes alive: a few kB). */
const MAX_LAYOUTS = 64;

const layouts = new Map<string, object>();
let ended = 0;

/** Called with each ended span of a model call. */
export function learnAttributeLayout(span: unknown): void {
  ended++;
  if ((ended > CHECKED_FIRST && ended % CHECK_EVERY !== 0) || layouts.size >= MAX_LAYOUTS) return;
  // the SDK's spans expose their attributes (ReadableSpan); other spans have nothing to learn
  const attributes = (span as { attributes?: unknown } | undefined)?.attributes;
  if (!attributes || typeof attributes !== 'object') return;
  const names = Object.keys(attributes);
  if (names.length <= FAST_PROPERTIES) return;
  const sequence = names.join('\n');
  if (layouts.has(sequence)) return;
  const layout = {};
  for (const name of names)
    Object.defineProperty(layout, name, {
      value: (attributes as Record<string, unknown>)[name],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  layouts.set(sequence, layout);
}

/** For tests: how many attribute sequences have a kept layout. */
export function learnedLayouts(): number {
  return layouts.size;
}
