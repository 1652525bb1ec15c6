import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Firebreak's own metrics, on a registry of its own (a second registration of a name throws). */
export interface FirebreakMetrics {
  registry: Registry;
  incidentsOpened: Counter<'kind' | 'source'>;
  decisions: Counter<'decision'>;
  actionsFinished: Counter<'outcome'>;
  incidentsResolved: Counter<'kind' | 'source'>;
  timeToAcknowledge: Histogram<'kind'>;
  timeToMitigate: Histogram<'kind'>;
  timeToRecover: Histogram<'kind'>;
  actionsByExecutor: Counter<'executor' | 'outcome'>;
  probeDuration: Histogram<'type' | 'verdict'>;
  checklistResults: Counter<'kind' | 'check' | 'result'>;
}

/** Incident durations: from a minute to a day. */
const INCIDENT_SECONDS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];
/** Probe durations: from 10 ms to a load test's minutes. */
const PROBE_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export function createMetrics(): FirebreakMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firebreak_' });
  return {
    registry,
    incidentsOpened: new Counter({
      name: 'firebreak_incidents_opened_total',
      help: 'Incidents opened, by runbook kind and the surface that opened them (slack, alertmanager, …).',
      labelNames: ['kind', 'source'],
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
    incidentsResolved: new Counter({
      name: 'firebreak_incidents_resolved_total',
      help: 'Incidents resolved, by runbook kind and the surface that opened them.',
      labelNames: ['kind', 'source'],
      registers: [registry],
    }),
    timeToAcknowledge: new Histogram({
      name: 'firebreak_incident_time_to_acknowledge_seconds',
      help: 'MTTA: alerted (opened) to the first human approval.',
      labelNames: ['kind'],
      buckets: INCIDENT_SECONDS,
      registers: [registry],
    }),
    timeToMitigate: new Histogram({
      name: 'firebreak_incident_time_to_mitigate_seconds',
      help: 'Alerted (opened) to the first successful mitigation.',
      labelNames: ['kind'],
      buckets: INCIDENT_SECONDS,
      registers: [registry],
    }),
    timeToRecover: new Histogram({
      name: 'firebreak_incident_time_to_recover_seconds',
      help: 'MTTR: alerted (opened) to recovered (every first-tier check passed).',
      labelNames: ['kind'],
      buckets: INCIDENT_SECONDS,
      registers: [registry],
    }),
    actionsByExecutor: new Counter({
      name: 'firebreak_action_executions_total',
      help: 'Approved actions that finished, by executor kind (http, redis, process, …) and outcome.',
      labelNames: ['executor', 'outcome'],
      registers: [registry],
    }),
    probeDuration: new Histogram({
      name: 'firebreak_probe_duration_seconds',
      help: 'Probe runs (diagnosis and checklist), by probe kind and verdict.',
      labelNames: ['type', 'verdict'],
      buckets: PROBE_SECONDS,
      registers: [registry],
    }),
    checklistResults: new Counter({
      name: 'firebreak_checklist_results_total',
      help: 'Recovery check outcomes, by runbook kind, check and result (passed, failed, unknown).',
      labelNames: ['kind', 'check', 'result'],
      registers: [registry],
    }),
  };
}
