import { Redis } from 'ioredis';
import { interpolate } from '../../runbooks/interpolate.js';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { describeNetworkError, errorMessage } from '../describe-error.js';
import { formatMs, formatNumber } from '../format-value.js';
import type { Measurement, MeasureOptions } from '../measurement.js';

type RedisCheck = Extract<ProbeCheck, { type: 'redis' }>;

/** INFO fields worth carrying along whatever the probe measures (`redis-cli info clients`). */
const CONTEXT_FIELDS = [
  'connected_clients',
  'blocked_clients',
  'used_memory',
  'maxmemory',
  'rejected_connections',
];

/** `INFO`'s `field:value` lines as a map; section headers and blank lines are skipped. */
export function parseRedisInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * The probe's number from parsed `INFO`: the `measure` field, or with `percentOf` its share of
 * another field (`used_memory` of `maxmemory`). `values` carries the client and memory fields
 * whatever is measured, so the snapshot shows them next to the value.
 */
export function readInfoValue(
  info: Map<string, string>,
  check: Pick<RedisCheck, 'measure' | 'percentOf'>,
): Measurement {
  const values: Record<string, number> = {};
  const wanted = [...CONTEXT_FIELDS, check.measure, ...(check.percentOf ? [check.percentOf] : [])];
  for (const name of new Set(wanted)) {
    const parsed = Number(info.get(name));
    if (info.has(name) && Number.isFinite(parsed)) values[name] = parsed;
  }
  for (const name of [check.measure, check.percentOf]) {
    if (name === undefined) continue;
    const raw = info.get(name);
    if (raw === undefined) return { verdict: 'unknown', values, detail: `INFO has no field ${name}` };
    if (values[name] === undefined)
      return { verdict: 'unknown', values, detail: `${name} is not a number: ${raw}` };
  }
  const value = values[check.measure] as number;
  if (check.percentOf === undefined)
    return { value, values, detail: `${check.measure} ${formatNumber(value)}` };
  const divisor = values[check.percentOf] as number;
  if (divisor === 0) {
    // `maxmemory 0` means no limit: there is no share to report, and no reason to alarm.
    return { verdict: 'unknown', values, detail: `${check.percentOf} is 0 (no limit), so no share of it` };
  }
  const percent = Math.round((value / divisor) * 1000) / 10;
  return {
    value: percent,
    unit: '%',
    values,
    detail: `${check.measure} ${formatNumber(value)} of ${check.percentOf} ${formatNumber(divisor)}`,
  };
}

function describeRedisError(error: unknown): Measurement {
  const message = errorMessage(error);
  // Wrong credentials or a protected instance are Firebreak's configuration, not Redis being down.
  if (/NOAUTH|WRONGPASS|NOPERM|invalid password/i.test(message)) {
    return { verdict: 'unknown', detail: `Redis refused the credentials: ${message}` };
  }
  return { verdict: 'critical', detail: describeNetworkError(error) };
}

/**
 * Redis reachability and health (the seed's `redis-cli ping` / `redis-cli info clients`). One
 * short-lived connection that never retries or queues: a Redis that does not answer within the
 * probe's timeout is the finding. `measure: ping` is the round trip in ms; any other value names
 * a numeric `INFO` field, or its share of another with `percentOf`.
 */
export async function measureRedis(check: RedisCheck, options: MeasureOptions): Promise<Measurement> {
  const url = interpolate(check.url, options.vars);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs,
    commandTimeout: options.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // Without the ready check a loading Redis answers the probe with its LOADING error, which is
    // the finding, instead of making the probe wait for the load to finish.
    enableReadyCheck: false,
  });
  // ioredis reports the socket's error (ECONNREFUSED …) only as an event; without retries the
  // rejected promise then just says "Connection is closed.", so keep the first event's error.
  let socketError: unknown;
  redis.on('error', (error: unknown) => {
    socketError ??= error;
  });
  const abort = () => redis.disconnect();
  options.signal.addEventListener('abort', abort, { once: true });
  try {
    await redis.connect();
    if (check.measure === 'ping') {
      const started = performance.now();
      const reply = await redis.ping();
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return { value: latencyMs, unit: 'ms', detail: `${reply} in ${formatMs(latencyMs)}` };
    }
    return readInfoValue(parseRedisInfo(await redis.info()), check);
  } catch (error) {
    if (options.signal.aborted) throw error;
    return describeRedisError(socketError ?? error);
  } finally {
    options.signal.removeEventListener('abort', abort);
    redis.disconnect();
  }
}
