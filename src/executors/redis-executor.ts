import { Redis } from 'ioredis';
import { parseDuration } from '../runbooks/duration.js';
import { interpolate, interpolateDeep } from '../runbooks/interpolate.js';
import { deadlineSignal } from './deadline-signal.js';
import { redactUrlPassword } from './redact-secrets.js';
import { errorMessage, formatDuration, networkErrorText, truncate } from './result-text.js';
import type { StepExecutor, StepOutcome } from './step-executor.js';

/** Commands whose first argument is a subcommand worth naming in the summary (`CONFIG SET`). */
const CONTAINER_COMMANDS = new Set(['ACL', 'CLIENT', 'CLUSTER', 'CONFIG', 'MEMORY', 'OBJECT', 'SCRIPT']);

/** A reply as redis-cli would show it, compact enough for an excerpt. */
function replyText(reply: unknown): string {
  if (reply === null || reply === undefined) return '(nil)';
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (typeof reply === 'number' || typeof reply === 'bigint') return `(integer) ${reply}`;
  return JSON.stringify(reply, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    // JSON.stringify hands Buffers to the replacer already converted by their toJSON.
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
      return Buffer.from((value as { data: number[] }).data).toString('utf8');
    }
    return value;
  });
}

/** A reply with Buffers as text, for `expect:` and `capture:` (`CONFIG GET maxmemory` → ['maxmemory', '0']). */
function plainReply(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(plainReply);
  return typeof reply === 'bigint' ? reply.toString() : reply;
}

function commandName(command: readonly string[]): string {
  const name = (command[0] ?? '').toUpperCase();
  const sub = command[1];
  return CONTAINER_COMMANDS.has(name) && sub !== undefined ? `${name} ${sub.toUpperCase()}` : name;
}

function failure(summary: string, excerpt = ''): StepOutcome {
  return { outcome: 'failed', summary, excerpt };
}

/**
 * Runs one Redis command (`FLUSHDB` on the cache db, `CONFIG SET maxmemory 512mb`) on a connection
 * of its own, opened for this step and always closed: no retries, no offline queue, so a dead
 * server fails the step at once instead of queueing a destructive command for later.
 */
export const redisExecutor: StepExecutor<'redis'> = {
  async execute(step, ctx) {
    const rawUrl = interpolate(step.url, ctx.vars);
    const url = URL.parse(rawUrl);
    if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      return failure(`not a redis:// URL: ${redactUrlPassword(step.url)}`);
    }
    const command = interpolateDeep(step.command, ctx.vars);
    const db = step.db ?? (Number(url.pathname.slice(1)) || 0);
    const what = `${commandName(command)} on ${url.host} db ${db}`;
    const timeoutMs = parseDuration(step.timeout);
    const deadline = deadlineSignal(ctx.signal, timeoutMs);
    const redis = new Redis(rawUrl, {
      lazyConnect: true,
      // The step's deadline covers connect, SELECT and the command together; see deadlineSignal.
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // ioredis reports the socket error as an event and rejects `connect()` with "Connection is closed.".
    let socketError: unknown;
    redis.on('error', (error: unknown) => {
      socketError ??= error;
    });
    // Cancel means now: dropping the socket fails the pending command instead of waiting for it.
    const stop = () => redis.disconnect();
    deadline.signal.addEventListener('abort', stop, { once: true });
    const started = performance.now();
    try {
      await redis.connect();
      if (step.db !== undefined) await redis.select(step.db);
      const [name = '', ...args] = command;
      const reply = await redis.call(name, args);
      const text = replyText(reply);
      const shown = text.length <= 40 && !text.includes('\n') ? text : 'replied';
      return {
        outcome: 'succeeded',
        summary: `${what} → ${shown} in ${formatDuration(performance.now() - started)}`,
        excerpt: truncate(text, 64 * 1024),
        observed: { data: plainReply(reply) },
      };
    } catch (error) {
      if (deadline.timedOut()) return failure(`${what} timed out after ${formatDuration(timeoutMs)}`);
      if (ctx.signal.aborted) throw error;
      const network = networkErrorText(socketError, url.host);
      if (network) return failure(`${what} failed: ${network}`);
      const message = errorMessage(socketError ?? error);
      return failure(`${what} failed: ${message}`, message);
    } finally {
      deadline.signal.removeEventListener('abort', stop);
      deadline.dispose();
      redis.disconnect();
    }
  },
};
