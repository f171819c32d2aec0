// Attribute keys read from protobuf bytes, as one string per distinct key: a span carries the same
// few dozen keys as every other, and a key seen before is found by its bytes without decoding a new
// string (whose hash the attribute lookups would then compute again). A fixed number of slots, so
// that keys never seen again (or a sender's random ones) cost no memory beyond it.

/**
 * Buffer's decoders of a byte range: what toString(encoding, start, end) calls once it has checked its
 * arguments (protobufjs reads strings with utf8Slice too). Offsets here are within the body already.
 */
export interface BufferSlices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

const SLOTS = 1024;
const MASK = SLOTS - 1;
/** Longer keys are decoded each time (the mapping refuses keys over 256 characters anyway). */
const MAX_INTERNED_BYTES = 128;

const slotBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);
const slotTexts: string[] = new Array<string>(SLOTS).fill('');

/** The UTF-8 text of bytes [start, end) of `body` (`slices`: the same Buffer), as body.toString('utf8', start, end). */
export function internedKey(body: Buffer, slices: BufferSlices, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_INTERNED_BYTES) return slices.utf8Slice(start, end);
  // A hash of the length and the last bytes (keys share their prefixes: gen_ai.usage.…); the bytes
  // are compared in full below.
  let hash = length;
  for (let i = Math.max(start, end - 6); i < end; i++) hash = Math.imul(hash ^ body[i]!, 0x01000193);
  hash ^= hash >>> 15;
  const slot = hash & MASK;
  const known = slotBytes[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known[i] !== body[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return slotTexts[slot]!;
  }
  const text = slices.utf8Slice(start, end);
  slotBytes[slot] = new Uint8Array(body.subarray(start, end));
  slotTexts[slot] = text;
  return text;
}
