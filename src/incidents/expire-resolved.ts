import type { Logger } from '../logging/logger.js';
import type { IncidentStore } from './incident-store.js';

/** A surface's own records of an incident (Slack's ledger), expiring with the incident's. */
export interface RetentionOwner {
  expireAt(incidentId: string, atMs: number): Promise<void>;
}

/**
 * Gives every resolved incident's data an expiry `retentionMs` after its resolution — the core's
 * keys and each surface's — and drops expired incidents from the index. The expiry is anchored to
 * `resolvedAt`, so running this late, twice or on several replicas changes nothing; an incident
 * resolved longer ago than the retention goes now. Postmortems are never touched.
 */
export async function expireResolved(
  deps: { store: IncidentStore; log: Logger },
  retentionMs: number,
  owners: readonly RetentionOwner[] = [],
): Promise<{ expiring: number; pruned: number }> {
  const resolved = await deps.store.listResolved();
  for (const { id, resolvedAt } of resolved) {
    const at = Date.parse(resolvedAt) + retentionMs;
    if (!Number.isFinite(at)) continue;
    await deps.store.expireAt(id, at);
    for (const owner of owners) await owner.expireAt(id, at);
  }
  const pruned = await deps.store.pruneIndex();
  if (pruned > 0) deps.log.info({ pruned }, 'resolved incidents past their retention were removed');
  return { expiring: resolved.length, pruned };
}
