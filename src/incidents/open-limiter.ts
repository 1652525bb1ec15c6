import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Actor, Surface } from '../timeline/actor.js';
import type { Refusal } from './refusal.js';

/** At most `count` openings within any `windowMs`. */
export interface OpenLimit {
  count: number;
  windowMs: number;
}

/** `perActor`: one person (or alert source) through one surface; `global`: everyone together. Unset: no limit. */
export interface OpenLimits {
  perActor?: OpenLimit | undefined;
  global?: OpenLimit | undefined;
}

/**
 * The surfaces people open incidents through. Machines are exempt: an alert group opens one
 * incident however often Alertmanager re-sends it (the alert surface dedups), and a page must never
 * be refused because people opened many incidents by hand.
 */
const LIMITED: ReadonlySet<Surface> = new Set(['slack', 'console', 'cli']);

/** Takes one opening from the budget, or says which limit it would break. */
export interface OpenLimiter {
  take(actor: Actor, at: Date): Promise<Extract<Refusal, { code: 'open-limited' }> | undefined>;
}

// KEYS[1] = the actor's window (zset), KEYS[2] = everyone's; ARGV: now ms, member, then per key its
// limit and window (0 = none). Sliding windows, checked and taken in one atomic step so that
// replicas sharing Redis share the budget. Returns {0} when taken, else {scope, ms until a slot frees}.
const TAKE = `
local now = tonumber(ARGV[1])
for i = 1, 2 do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
    if redis.call('ZCARD', KEYS[i]) >= limit then
      local oldest = tonumber(redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')[2])
      return {i, oldest + window - now}
    end
  end
end
for i = 1, 2 do
  local limit = tonumber(ARGV[1 + 2 * i])
  if limit > 0 then
    redis.call('ZADD', KEYS[i], now, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 + 2 * i]))
  end
end
return {0}
`;

/**
 * Opening limits for people (Slack, a console, the CLI), kept in Redis under `<prefix>open-limit:actor:<via>:<id>` and `<prefix>open-limit:all`,
 * each expiring with its window. One person who opened 5 incidents in a second, or a burst of 200
 * from a script, is told the limit instead of flooding Slack with channels.
 */
export function createOpenLimiter(redis: Redis | Cluster, prefix: string, limits: OpenLimits): OpenLimiter {
  const { perActor, global } = limits;
  return {
    async take(actor, at) {
      if ((!perActor && !global) || !LIMITED.has(actor.via)) return undefined;
      const [scope, retryAfterMs] = (await redis.eval(
        TAKE,
        2,
        `${prefix}open-limit:actor:${actor.via}:${actor.id}`,
        `${prefix}open-limit:all`,
        at.getTime(),
        `${at.getTime()}-${randomBytes(4).toString('hex')}`,
        perActor?.count ?? 0,
        perActor?.windowMs ?? 0,
        global?.count ?? 0,
        global?.windowMs ?? 0,
      )) as [number, number?];
      if (scope === 0) return undefined;
      const limit = (scope === 1 ? perActor : global) as OpenLimit;
      return {
        code: 'open-limited',
        scope: scope === 1 ? 'actor' : 'all',
        limit: limit.count,
        windowMs: limit.windowMs,
        retryAfterMs: Math.max(0, Number(retryAfterMs ?? limit.windowMs)),
      };
    },
  };
}
