import type { RunbookCatalog } from '../../../src/runbooks/load-runbooks.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';

/** What a test says about a runbook's alerts, in the runbook format's own shape. */
export interface AlertsPart {
  triggers?: Array<Record<string, unknown>>;
  alertRules?: Array<Record<string, unknown>>;
}

/** The smallest valid runbook of `kind` with the given alerts, through the real schema. */
export function runbookWith(kind: string, alerts: AlertsPart = {}): Runbook {
  return runbookSchema.parse({
    kind,
    title: `Runbook ${kind}`,
    triggers: { alerts: alerts.triggers ?? [] },
    monitoring: { alertRules: alerts.alertRules ?? [] },
    probes: [{ id: 'cpu', title: 'CPU', step: 1, check: { type: 'host', metric: 'cpu' } }],
    groups: [{ id: 'P1', title: 'Now', deadline: '30s' }],
    actions: [{ id: 'wait', title: 'Wait', group: 'P1', run: { type: 'wait', duration: '1s' } }],
  });
}

/** A catalog keyed by kind, as loadRunbooks returns it. */
export function catalogOf(...runbooks: Runbook[]): RunbookCatalog {
  return new Map(runbooks.map((runbook) => [runbook.kind, runbook]));
}
