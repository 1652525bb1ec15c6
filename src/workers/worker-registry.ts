import type { Redis } from 'ioredis';
import type { WorkerInfo, WorkerView } from '../incidents/worker-fleet.js';

/** A worker that missed this many heartbeats in a row is dead: its probes and running actions are not waited for. */
export const MISSED_BEATS = 3;

/** Dead entries are kept this long for `/incident workers` ("gen-2: last seen 4 min ago"), then dropped. */
export const FORGET_AFTER_MS = 60 * 60 * 1000;

/** What the registry holds now, on Redis's clock (every host's own clock may differ; Redis's is one). */
export interface WorkerList {
  now: number;
  workers: WorkerView[];
}

/**
 * The worker registry: one Redis hash, `<prefix>:workers`, instance → the worker's announcement with
 * the Redis time of its last heartbeat. Liveness is the age of that heartbeat, so a worker killed
 * with SIGKILL or cut off the network is dead after three missed beats, with nothing to clean up.
 */
export class WorkerRegistry {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:workers`;
  }

  private async redisNow(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** Registers or renews `info` (a heartbeat). */
  async beat(info: WorkerInfo): Promise<void> {
    const seenAt = await this.redisNow();
    await this.redis.hset(this.key, info.instance, JSON.stringify({ ...info, seenAt }));
  }

  /** Leaves the registry (a clean stop): the bot stops counting on this worker at once. */
  async leave(instance: string): Promise<void> {
    await this.redis.hdel(this.key, instance);
  }

  /** Every entry with its age and liveness, live first, then by name. Dead ones past {@link FORGET_AFTER_MS} are dropped. */
  async list(): Promise<WorkerList> {
    const [now, hash] = await Promise.all([this.redisNow(), this.redis.hgetall(this.key)]);
    const workers: WorkerView[] = [];
    const forgotten: string[] = [];
    for (const [instance, raw] of Object.entries(hash)) {
      let entry: WorkerInfo & { seenAt: number };
      try {
        entry = JSON.parse(raw);
      } catch {
        forgotten.push(instance);
        continue;
      }
      const ageMs = Math.max(0, now - entry.seenAt);
      if (ageMs > FORGET_AFTER_MS) forgotten.push(instance);
      else workers.push({ ...entry, ageMs, live: ageMs <= entry.heartbeatMs * MISSED_BEATS });
    }
    if (forgotten.length > 0) await this.redis.hdel(this.key, ...forgotten);
    workers.sort((a, b) => Number(b.live) - Number(a.live) || a.name.localeCompare(b.name));
    return { now, workers };
  }
}

/** The live workers that serve `role`; `undefined` asks for the role-less executor. */
export function liveFor(workers: readonly WorkerView[], role: string | undefined): WorkerView[] {
  return workers.filter((w) => w.live && (role === undefined ? w.unplaced : w.roles.includes(role)));
}
