// CPU per SDK span by number of attributes, with and without a learned attribute layout
// (src/model-call/attribute-layouts.ts): V8 keeps the span's attribute object in a fast layout up
// to 19 attributes stored by computed name; a layout learned for a sequence of names keeps it
// fast beyond. Spans go through a batch span processor to an exporter that discards; each round
// ends with the export and a full collection inside its timed window.
//   node --expose-gc -r ./scripts/register-ts.js bench/span-attribute-count.ts
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { learnAttributeLayout } from '../src/model-call/attribute-layouts';
import { DiscardingExporter, median, round2, timeRound } from './support/measure';

const COUNTS = [10, 19, 20, 24];
const ROUNDS = 9;
const SPANS_PER_ROUND = 50_000;

const processor = new BatchSpanProcessor(new DiscardingExporter(), { scheduledDelayMillis: 20 });
const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('bench');

// Two sets of names: the learned set's sequences get a layout, the plain set's never do.
const names = (set: string) =>
  Array.from({ length: Math.max(...COUNTS) }, (_, i) => `gen_ai.${set}.attribute_${i}`);
const plainNames = names('plain');
const learnedNames = names('learned');

function spanWith(keys: string[], count: number): unknown {
  const span = tracer.startSpan('chat gpt-4o-mini');
  for (let i = 0; i < count; i++) span.setAttribute(keys[i]!, i % 3 === 0 ? 'value' : i * 1.5);
  span.end();
  return span;
}

async function main(): Promise<void> {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
  const settle = async () => {
    await processor.forceFlush();
    gc();
  };
  for (const count of COUNTS) learnAttributeLayout(spanWith(learnedNames, count));
  const variants = COUNTS.flatMap((count) => [
    { name: `${count} attributes`, call: () => spanWith(plainNames, count) },
    { name: `${count} attributes, layout learned`, call: () => spanWith(learnedNames, count) },
  ]);
  const times = new Map(variants.map((v) => [v, [] as number[]]));
  for (const v of variants) await timeRound(async () => v.call(), SPANS_PER_ROUND / 10, settle);
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(round + i) % variants.length]!;
      times.get(v)!.push((await timeRound(async () => v.call(), SPANS_PER_ROUND, settle)).cpuUs);
    }
  console.log(
    `node ${process.version}; ${ROUNDS} rounds of ${SPANS_PER_ROUND} spans per variant, CPU µs per span (median)`,
  );
  for (const v of variants) console.log(`${v.name}: ${round2(median(times.get(v)!))} µs`);
  await processor.shutdown();
}

void main();
