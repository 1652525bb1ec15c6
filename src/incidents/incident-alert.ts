import type { Severity } from './severity.js';

/**
 * What the alert that opened an incident (or the first alert that joined it) said, as plain facts:
 * each surface renders them (Slack: the header and the announcement, the generator URL as a link) and
 * the postmortem reads them. Nothing of Alertmanager's wire format: no group key, no fingerprint.
 */
export interface IncidentAlert {
  /** The alert's `alertname`: `HTTP503ErrorSpike`. */
  name: string;
  /** Its `summary` annotation (or `description` when it has no summary). */
  summary?: string;
  labels: Readonly<Record<string, string>>;
  /** The Prometheus graph of the rule's expression, as the rule's server sent it. */
  generatorURL?: string;
  /** When it started firing (ISO 8601, UTC): the incident's "alerted at". */
  startsAt: string;
  /** Its severity on the incident scale, when its labels say one (`severity="critical"`). */
  severity?: Severity;
}
