import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { CheckView } from '../verification/checklist-plan.js';
import type { IncidentWithAlert, Milestones } from '../verification/incident-milestones.js';
import type { ActionRun } from './action-runs.js';

/** One number of the impact, with where it came from; `error` when it could not be had. */
export interface ImpactLine {
  title: string;
  source: 'prometheus' | 'sql';
  /** The query as it ran (PromQL with the window filled in; SQL as written). */
  query: string;
  value?: number;
  error?: string;
}

/** Everything the postmortem says, gathered once; rendering it is pure. */
export interface PostmortemFacts {
  incident: IncidentWithAlert;
  runbook: Runbook | undefined;
  generatedAt: string;
  milestones: Milestones & {
    occurredAt?: string;
    /** Where "occurred" came from: the incident (an alert), the error rate's first rise, or nowhere. */
    occurredFrom: 'incident' | 'prometheus' | 'unknown';
  };
  timeline: TimelineEntry[];
  actions: ActionRun[];
  checks: CheckView[];
  diagnosis?: Diagnosis;
  /** The impact window: from occurred (or alerted) to recovered (or resolved, or now). */
  window: { start: string; end: string; endsAt: 'recovered' | 'resolved' | 'now' };
  impact: ImpactLine[];
  /** The error rate's peak within the window (`postmortem.errorRate`). */
  peak?: { value: number; at: string; query: string } | { error: string; query: string };
  /** Why the SQL queries did not run, when they did not (no database configured). */
  sqlSkipped?: string;
}
