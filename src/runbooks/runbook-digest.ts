import { createHash } from 'node:crypto';
import type { Runbook } from './runbook-schema.js';

/** JSON with object keys sorted at every level: the same runbook always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const cache = new WeakMap<Runbook, string>();

/**
 * What a runbook means, as 12 hex digits of SHA-256 over its parsed form (defaults filled in;
 * comments, layout and key order do not count). The bot signs it into every approval and workers
 * announce theirs, so a worker whose runbook differs from the bot's says so instead of running.
 */
export function runbookDigest(runbook: Runbook): string {
  let digest = cache.get(runbook);
  if (digest === undefined) {
    digest = createHash('sha256').update(canonical(runbook)).digest('hex').slice(0, 12);
    cache.set(runbook, digest);
  }
  return digest;
}
