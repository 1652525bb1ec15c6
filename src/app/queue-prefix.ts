import { parseRedisUrl } from '../config/redis-url.js';

/**
 * Firebreak's key prefix for this Redis. On a Redis Cluster it becomes a hash tag, `{fb}`: BullMQ's
 * scripts touch many keys of a queue at once and Firebreak's own touch several keys of an incident,
 * of the alert ledger or of the target lines, which a Cluster allows only within one slot. With the
 * prefix as the tag, every key Firebreak and BullMQ write — whoever adds the next queue or script —
 * lands in the slot of `fb` (BullMQ's Cluster rule: a hash-tagged prefix). One server or Sentinels:
 * the prefix is left as it is, so an existing store keeps its keys.
 */
export function clusterSafePrefix(redisUrl: string, prefix: string): string {
  const parsed = parseRedisUrl(redisUrl);
  return parsed.ok && parsed.target.mode === 'cluster' && !prefix.startsWith('{') ? `{${prefix}}` : prefix;
}
