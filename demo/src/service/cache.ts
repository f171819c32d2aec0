// The demo service's cache: a real Redis when one answers at REDIS_URL, otherwise an in-process
// map. Its health check pings Redis and so reports DOWN whenever no Redis answers, even while the
// in-process fallback keeps the service working.
import Redis from 'ioredis';
import { recordCacheLookup } from '@tokenmeter/instrumentation';

export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Resolves when Redis answers PING; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly redisProblem: string) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async ping(): Promise<void> {
    throw new Error(this.redisProblem);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }

  async ping(): Promise<void> {
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Connects to Redis at `url` (or not at all when undefined); falls back to memory if none answers. */
export async function openCache(
  url: string | undefined,
  log: (message: string) => void,
): Promise<Cache> {
  if (!url)
    return new MemoryCache(
      'no Redis configured (set REDIS_URL); the service uses an in-process cache',
    );
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported through the health check
  try {
    await redis.connect();
    await redis.ping();
    log(`cache: Redis at ${url}`);
    return new RedisCache(redis);
  } catch (error) {
    redis.disconnect();
    const problem = `Redis at ${url} does not answer (${(error as Error).message}); the service uses an in-process cache`;
    log(`cache: ${problem}`);
    return new MemoryCache(problem);
  }
}

/** Reads `key` from the cache (counting a hit or a miss), computing and storing it on a miss. */
export async function cached<T>(
  cache: Cache,
  cacheName: string,
  key: string,
  ttlSeconds: number,
  compute: () => Promise<T>,
): Promise<T> {
  let stored: string | undefined;
  try {
    stored = await cache.get(key);
  } catch {
    stored = undefined; // a failing cache is a miss, never an outage
  }
  recordCacheLookup(cacheName, stored !== undefined);
  if (stored !== undefined) return JSON.parse(stored) as T;
  const value = await compute();
  await cache.set(key, JSON.stringify(value), ttlSeconds).catch(() => undefined);
  return value;
}
