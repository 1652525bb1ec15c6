import { Cluster, Redis } from 'ioredis';
import { parseRedisUrl } from '../config/redis-url.js';

/** A connection to Firebreak's Redis: one server (also through Sentinels) or a Cluster. */
export type RedisConnection = Redis | Cluster;

export interface ConnectRedisOptions {
  /**
   * `commands`: the store and producers fail a command after a short retry rather than hang a Slack
   * handler past its 3 s. `workers`: BullMQ workers must never give up on a command (bullmq's rule).
   */
  role: 'commands' | 'workers';
}

/**
 * After a failover the old master turns replica and answers writes with READONLY: reconnect (Sentinel
 * mode asks the Sentinels for the new master) and resend the command, instead of failing it.
 */
const reconnectOnReadonly = (err: Error): 2 | false => (err.message.startsWith('READONLY') ? 2 : false);

/**
 * Opens a connection for REDIS_URL in the form it is written in (see `src/config/redis-url.ts`):
 * `redis://` one server, `redis+sentinel://` the master the Sentinels name (following failovers),
 * `redis+cluster://` a Cluster. Everything Firebreak keys in Redis is hash-tagged so that what one
 * script or transaction touches lives in one slot.
 */
export function connectRedis(url: string, options: ConnectRedisOptions): RedisConnection {
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new Error(`REDIS_URL: ${parsed.error}`);
  const common = {
    maxRetriesPerRequest: options.role === 'workers' ? null : 2,
    reconnectOnError: reconnectOnReadonly,
  };
  const { target } = parsed;
  switch (target.mode) {
    case 'standalone':
      return new Redis(target.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: target.nodes,
        name: target.masterName,
        db: target.db,
        ...(target.username ? { username: target.username } : {}),
        ...(target.password ? { password: target.password } : {}),
        ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        // Subscribes to the Sentinels' +switch-master: a failover is followed at once, not at the next error.
        failoverDetector: true,
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        redisOptions: {
          ...common,
          ...(target.username ? { username: target.username } : {}),
          ...(target.password ? { password: target.password } : {}),
          ...(target.tls ? { tls: {} } : {}),
        },
        // BullMQ's blocking commands and Firebreak's scripts go to masters; replicas are for failover only.
        scaleReads: 'master',
      });
  }
}
