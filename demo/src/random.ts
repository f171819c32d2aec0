import { createHash } from 'node:crypto';
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

const RESOLUTION = 2 ** 30;

/** A seeded pseudo-random source: the same seed (string parts) always gives the same sequence. */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(...seedParts: (string | number)[]) {
    const digest = createHash('sha256').update(seedParts.join('\u0000')).digest();
    this.generator = xoroshiro128plus(digest.readInt32LE(0));
  }

  /** A float in [0, 1). */
  next(): number {
    return unsafeUniformIntDistribution(0, RESOLUTION - 1, this.generator) / RESOLUTION;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(Math.ceil(min), Math.floor(max), this.generator);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: no items');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An item drawn with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [item, weight] of items) {
      point -= weight;
      if (point < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** A roughly normal value (sum of uniforms) around `mean`, clamped to [min, max]. */
  around(mean: number, spread: number, min: number, max: number): number {
    const normal = (this.next() + this.next() + this.next() - 1.5) / 1.5;
    return Math.min(max, Math.max(min, mean + normal * spread));
  }

  /** A lowercase hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0, 0xffff).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }
}
