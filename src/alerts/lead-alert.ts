import type { Logger } from '../logging/logger.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { AlertDelivery, KeptAlert } from './alert-delivery.js';
import { matchAlert } from './match-alert.js';

/** The alert a group is handled by, and the runbook that claims it. */
export interface LeadAlert {
  runbook: Runbook;
  alert: KeptAlert;
}

/**
 * Matches every alert of a delivery against the runbooks, counts each outcome
 * (`firebreak_alerts_received_total{outcome="matched"|"unmatched"|"ambiguous"}`) and logs the ones no
 * runbook takes, once per alert name and reason. The group follows its first firing alert that a
 * runbook claims (or its first claimed alert, when none fires); undefined when none is claimed.
 */
export function leadAlert(
  catalog: RunbookCatalog,
  delivery: AlertDelivery,
  metrics: Pick<FirebreakMetrics, 'alertsReceived'>,
  log: Logger,
): LeadAlert | undefined {
  const claimed: LeadAlert[] = [];
  const told = new Set<string>();
  for (const alert of delivery.alerts) {
    const match = matchAlert(catalog, alert);
    metrics.alertsReceived.inc({ outcome: match.outcome });
    if (match.outcome === 'matched') {
      claimed.push({ runbook: match.runbook, alert });
      continue;
    }
    const alertname = alert.labels.alertname ?? '(none)';
    if (told.has(`${alertname}\n${match.reason}`)) continue;
    told.add(`${alertname}\n${match.reason}`);
    const fields = { alertname, groupKey: delivery.groupKey, reason: match.reason };
    if (match.outcome === 'ambiguous') log.error(fields, 'alert claimed by several runbooks; nothing opened');
    else log.warn(fields, 'alert matches no runbook; nothing opened');
  }
  return claimed.find((c) => c.alert.status === 'firing') ?? claimed[0];
}
