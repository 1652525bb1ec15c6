import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/** Firebreak's own metrics, on a registry of its own (a second registration of a name throws). */
export interface FirebreakMetrics {
  registry: Registry;
  incidentsOpened: Counter<'kind'>;
  decisions: Counter<'decision'>;
  actionsFinished: Counter<'outcome'>;
  /** `POST /alerts/alertmanager`: accepted, unauthorized, invalid, too_large, unavailable. */
  alertRequests: Counter<'outcome'>;
  /** Each alert of a handled delivery: matched, unmatched (no runbook claims it), ambiguous. */
  alertsReceived: Counter<'outcome'>;
  /** Each handled group delivery: opened, attached, updated, resolved, repeat, quiet, unmatched, no-incident, expired. */
  alertGroupsHandled: Counter<'outcome'>;
}

export function createMetrics(): FirebreakMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firebreak_' });
  return {
    registry,
    incidentsOpened: new Counter({
      name: 'firebreak_incidents_opened_total',
      help: 'Incidents opened, by runbook kind.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'firebreak_action_decisions_total',
      help: 'Button clicks on actions, by what they led to (approved, skipped, already-decided, refused).',
      labelNames: ['decision'],
      registers: [registry],
    }),
    actionsFinished: new Counter({
      name: 'firebreak_actions_finished_total',
      help: 'Approved actions that finished, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    alertRequests: counter(registry, 'firebreak_alert_webhook_requests_total', 'Alert webhook answers.'),
    alertsReceived: counter(registry, 'firebreak_alerts_received_total', 'Alerts handled, by match.'),
    alertGroupsHandled: counter(registry, 'firebreak_alert_groups_handled_total', 'Alert groups handled.'),
  };
}

/** A counter with an `outcome` label on the registry: one line per metric above. */
function counter(registry: Registry, name: string, help: string): Counter<'outcome'> {
  return new Counter({ name, help, labelNames: ['outcome'], registers: [registry] });
}
