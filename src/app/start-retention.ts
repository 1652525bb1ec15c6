import { expireResolved, type RetentionOwner } from '../incidents/expire-resolved.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';

export interface RetentionOptions {
  store: IncidentStore;
  log: Logger;
  /** INCIDENT_RETENTION. */
  retentionMs: number;
  /** The surfaces' records that expire with each incident (Slack's ledger). */
  owners: readonly RetentionOwner[];
  /** @defaultValue 1 hour — expiries are anchored to `resolvedAt`, so the sweep's pace only bounds how late */
  everyMs?: number;
}

/**
 * Runs {@link expireResolved} at start and then every `everyMs`, one run at a time, in the
 * background: a failure (Redis away) is logged and tried again next time. Safe on every replica.
 */
export function startRetentionSweep(options: RetentionOptions): { stop(): Promise<void> } {
  const log = options.log.child({ component: 'retention' });
  let running: Promise<unknown> | undefined;
  const sweep = () => {
    if (running) return;
    running = expireResolved({ store: options.store, log }, options.retentionMs, options.owners)
      .catch((err) => log.warn({ err: { message: (err as Error).message } }, 'retention sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (running) await within(running, 2000);
    },
  };
}
