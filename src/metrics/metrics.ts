import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/** Firebreak's own metrics, on a registry of its own (a second registration of a name throws). */
export interface FirebreakMetrics {
  registry: Registry;
  incidentsOpened: Counter<'kind'>;
  decisions: Counter<'decision'>;
  actionsFinished: Counter<'outcome'>;
  /** Group deadlines that passed with actions undecided, by stage (remind, escalate). */
  deadlinesFired: Counter<'stage'>;
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
    deadlinesFired: new Counter({
      name: 'firebreak_deadlines_fired_total',
      help: 'Group deadlines that passed with actions undecided, by stage (remind, escalate).',
      labelNames: ['stage'],
      registers: [registry],
    }),
  };
}
