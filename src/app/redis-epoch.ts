import { randomBytes } from 'node:crypto';
import type { ReadinessCheck } from '../http/health-routes.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import type { RedisConnection } from './connect-redis.js';

/** What the watch says about Firebreak's Redis data. */
export interface EpochWatch {
  /** `/readyz`'s `redis-data` line: not ready once Redis was seen empty under a running Firebreak. */
  check: ReadinessCheck;
  /** Checks now (also done on every reconnection and every `/readyz`). */
  verify(): Promise<void>;
  stop(): void;
}

export interface EpochWatchOptions {
  /** Called once, on the one replica that noticed first, to tell people (the Slack announce channel). */
  onLost?: (message: string) => Promise<void>;
}

/**
 * Detects a Redis that restarted empty (no persistence, a failover to an empty replica, an eviction)
 * under a running Firebreak: open incidents, their timelines and pending approvals are then gone, and
 * old buttons answer "does not exist". Firebreak writes a random epoch to `<prefix>:epoch` when it
 * first finds none; every process remembers the one it saw at start. An epoch that is missing or
 * different later means the data it knew is gone: logged as an error, told once in the announce
 * channel, and `/readyz` says so until the process restarts (a restart is the acknowledgement: it
 * adopts the new epoch). A store Firebreak starts on for the first time is simply adopted.
 */
export async function watchRedisEpoch(
  redis: RedisConnection,
  prefix: string,
  log: Logger,
  options: EpochWatchOptions = {},
): Promise<EpochWatch> {
  const key = `${prefix}:epoch`;
  const fresh = () => `${new Date().toISOString()}/${randomBytes(6).toString('hex')}`;
  const claim = async (): Promise<{ epoch: string; created: boolean }> => {
    const candidate = fresh();
    const set = await redis.set(key, candidate, 'NX');
    if (set === 'OK') return { epoch: candidate, created: true };
    return { epoch: (await redis.get(key)) ?? candidate, created: false };
  };

  const start = await claim().catch((err: Error) => {
    log.warn({ err: { message: err.message } }, 'could not read the Redis epoch at start; will check again');
    return undefined;
  });
  let known = start?.epoch;
  if (start?.created) {
    log.warn(
      { epoch: known },
      'Firebreak found no data epoch in Redis: a new, empty store (or one that lost its data while Firebreak was stopped)',
    );
  }
  let lost: { at: string; message: string } | undefined;

  const verify = async () => {
    if (lost) return;
    if (!known) {
      known = (await claim()).epoch;
      return;
    }
    const current = await redis.get(key);
    if (current === known) return;
    const mine = current === null ? await claim() : { epoch: current, created: false };
    if (lost) return;
    const message =
      ":warning: Firebreak's Redis lost its data (restarted empty, or failed over to an empty replica). " +
      'Incidents open before now, their timelines and approvals are gone from Firebreak; their channels remain. ' +
      'Configure Redis with AOF persistence (appendonly yes) and maxmemory-policy noeviction, then restart Firebreak.';
    lost = { at: new Date().toISOString(), message };
    log.error(
      { was: known, now: mine.epoch },
      'Redis lost its data: the epoch Firebreak started with is gone',
    );
    if (mine.created)
      await options
        .onLost?.(message)
        .catch((err) => log.warn({ err }, 'could not announce the Redis data loss'));
  };
  const onReady = () => void verify().catch(() => undefined);
  redis.on('ready', onReady);

  return {
    verify,
    check: {
      name: 'redis-data',
      async check() {
        await within(
          verify().catch(() => undefined),
          1000,
        );
        if (lost)
          return { ok: false, detail: `lost at ${lost.at}: restart Firebreak once Redis persists its data` };
        return { ok: known !== undefined, detail: known ? 'ok' : 'unknown' };
      },
    },
    stop() {
      redis.off('ready', onReady);
    },
  };
}
