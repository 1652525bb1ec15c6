import type { Redis } from 'ioredis';
import { type LocalServer, startServer } from '../integration/diagnostics/local-server.js';

/**
 * How many cases each fuzz property runs: `FIREBREAK_FULL=1` for the full attack run (10,000 per
 * property), a few hundred in the default `npm test` so CI stays fast. `FIREBREAK_FUZZ_RUNS` overrides both.
 */
export function fuzzRuns(): number {
  const override = Number(process.env.FIREBREAK_FUZZ_RUNS);
  if (Number.isInteger(override) && override > 0) return override;
  return process.env.FIREBREAK_FULL === '1' ? 10_000 : 300;
}

/** Generous per-file budget for the full run; the default run needs a fraction of it. */
export const fuzzTimeoutMs = () => (process.env.FIREBREAK_FULL === '1' ? 900_000 : 120_000);

export { FORM, type PostOptions, signedPost } from '../support/signed-post.js';

/** A form body with one `payload` field, as Slack posts interactivity. */
export const payloadForm = (payload: unknown) =>
  new URLSearchParams({
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  }).toString();

/**
 * A loopback server standing for an attacker's host: a payload's response_url points here, and any
 * request the bot makes to it is recorded (`requests`). The bot must never call it.
 */
export function startTrap(): Promise<LocalServer> {
  return startServer((_req, res) => {
    res.writeHead(200).end('ok');
  });
}

/** The bot's log lines at error level or above (pino: 50 error, 60 fatal). */
export function errorLines(logs: string): string[] {
  return logs.split('\n').filter((line) => /"level":(50|60)\b/.test(line));
}

/** Every value Firebreak keeps in Redis under `prefix` (strings, hashes, lists, sets, zsets, streams), as text. */
export async function redisDump(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, '0', '-1')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : null;
      parts.push(`${key} ${JSON.stringify(value)}`);
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

/** Which of `secrets` (and their URL-encoded and base64 forms) appear in `text`, by name. */
export function leaked(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) =>
      [value, encodeURIComponent(value), Buffer.from(value).toString('base64')].some((form) =>
        text.includes(form),
      ),
    )
    .map(([name]) => name);
}
