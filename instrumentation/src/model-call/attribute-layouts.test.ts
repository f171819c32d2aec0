import { setFlagsFromString } from 'node:v8';
import { useTestTelemetry } from '../../test/support/telemetry-harness';
import { learnedLayouts } from './attribute-layouts';
import { traceModelCall } from './trace-model-call';

const telemetry = useTestTelemetry();

// V8's own check of an object's layout (natives syntax, enabled for this test file's functions)
setFlagsFromString('--allow-natives-syntax');
// the only way to reach the V8 intrinsic from a test
const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
  object: object,
) => boolean;

/** Extra request attributes with names no other test uses: a sequence of names not seen before. */
function manyAttributes(prefix: string, count: number) {
  return Object.freeze(
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}.${i}`, i * 1.5])),
  );
}

async function spanOfCall(attributes: Readonly<Record<string, number>>) {
  await traceModelCall(
    { provider: 'openai', requestModel: 'gpt-4o-mini', attributes },
    async (call) => {
      call.record({
        responseModel: 'gpt-4o-mini-2024-07-18',
        usage: { inputTokens: 12, outputTokens: 3 },
      });
    },
  );
  const spans = await telemetry.finishedSpans();
  return spans[spans.length - 1]!;
}

describe('attribute layouts', () => {
  it('keeps the attributes of later spans with the same 20+ names in a fast layout', async () => {
    const attributes = manyAttributes('test.layout.kept', 12);
    const learned = learnedLayouts();
    const first = await spanOfCall(attributes);
    expect(learnedLayouts()).toBe(learned + 1);
    expect(Object.keys(first.attributes).length).toBeGreaterThan(19);
    // the first span of a sequence is a hash table: what the layout saves the spans after it
    expect(hasFastProperties(first.attributes)).toBe(false);
    const second = await spanOfCall(attributes);
    expect(Object.keys(second.attributes)).toEqual(Object.keys(first.attributes));
    expect(hasFastProperties(second.attributes)).toBe(true);
    expect(second.attributes).toEqual(first.attributes);
  });

  it('learns nothing for spans that V8 keeps fast anyway', async () => {
    const learned = learnedLayouts();
    const first = await spanOfCall(manyAttributes('test.layout.small', 2));
    expect(Object.keys(first.attributes).length).toBeLessThanOrEqual(19);
    expect(hasFastProperties(first.attributes)).toBe(true);
    expect(learnedLayouts()).toBe(learned);
  });
});
