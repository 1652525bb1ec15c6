import type { Cluster, Redis } from 'ioredis';

/** Deletes a test's keys (`<prefix>:*`) only: other files share the server, so never FLUSHDB. */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<void> {
  // Keys under the prefix, and those hash-tagged with it (BullMQ's `{<prefix>:<queue>}`, `{<prefix>:alerts}`).
  for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await (redis as Redis).scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}
