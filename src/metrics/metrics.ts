import { collectDefaultMetrics, Registry } from 'prom-client';
import { counter, histogram } from './metric-builders.js';
import { type JobCountSource, queueJobsGauge } from './queue-jobs-gauge.js';

/**
 * Bucket sets in seconds, chosen around what each thing is judged against: Slack's 3 s ack budget,
 * the runbook's probe timeouts (≤ 10 s), the actions' deadlines (30 s to 5 min), Web API latency.
 */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const PROBE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const SLACK_API_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Incident durations (MTTA, time to mitigate, MTTR): from half a minute to a day. */
const INCIDENT_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

export interface MetricsOptions {
  /** Queues whose job counts `firebreak_queue_jobs` reads on each scrape. @defaultValue none */
  queues?: readonly JobCountSource[];
}

/**
 * Firebreak's metrics, on a registry of its own (a second registration of a name throws, and tests
 * build many cores in one process). Node's default metrics keep their standard names (no prefix)
 * so stock Node.js dashboards find them; Firebreak's own are `firebreak_*`.
 *
 * Adding a metric is one line in the object below: its name, help, labels (and buckets); the
 * {@link FirebreakMetrics} type follows. `deploy/grafana/firebreak-dashboard.json` may query only
 * names registered here (`test/unit/metrics/dashboard.test.ts`).
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    // Counters moved by the incident core, in whichever process runs it.
    incidentsOpened: counter(
      r,
      'firebreak_incidents_opened_total',
      'Incidents opened, by runbook kind and the surface that opened them (slack, alertmanager, …).',
      ['kind', 'source'],
    ),
    decisions: counter(
      r,
      'firebreak_action_decisions_total',
      'Button clicks on actions, by what they led to (approved, skipped, already-decided, refused).',
      ['decision'],
    ),
    actionsFinished: counter(
      r,
      'firebreak_actions_finished_total',
      'Approved actions that finished, by outcome.',
      ['outcome'],
    ),
    deadlinesFired: counter(
      r,
      'firebreak_deadlines_fired_total',
      'Group deadlines that passed with actions undecided, by stage (remind, escalate).',
      ['stage'],
    ),
    // The incident's life: resolves, the recorded moments the postmortem also reads, the checklist.
    incidentsResolved: counter(
      r,
      'firebreak_incidents_resolved_total',
      'Incidents resolved, by runbook kind and the surface that opened them.',
      ['kind', 'source'],
    ),
    timeToAcknowledge: histogram(
      r,
      'firebreak_incident_time_to_acknowledge_seconds',
      'MTTA: from alerted (opened) to the first human approval.',
      ['kind'],
      INCIDENT_BUCKETS,
    ),
    timeToMitigate: histogram(
      r,
      'firebreak_incident_time_to_mitigate_seconds',
      'From alerted (opened) to the first successful mitigation.',
      ['kind'],
      INCIDENT_BUCKETS,
    ),
    timeToRecover: histogram(
      r,
      'firebreak_incident_time_to_recover_seconds',
      'MTTR: from alerted (opened) to recovered (every first-tier check passed).',
      ['kind'],
      INCIDENT_BUCKETS,
    ),
    actionsByExecutor: counter(
      r,
      'firebreak_action_executions_total',
      'Approved actions that finished, by executor kind (http, redis, process, …) and outcome.',
      ['executor', 'outcome'],
    ),
    checklistResults: counter(
      r,
      'firebreak_checklist_results_total',
      'Recovery check outcomes, by runbook kind, check and result (passed, failed, unknown).',
      ['kind', 'check', 'result'],
    ),
    // Latencies and work.
    probeDuration: histogram(
      r,
      'firebreak_probe_duration_seconds',
      'Diagnostic probes, by probe kind and verdict (ok, warn, critical, unknown), timeouts included.',
      ['kind', 'outcome'],
      PROBE_BUCKETS,
    ),
    jobDuration: histogram(
      r,
      'firebreak_job_duration_seconds',
      'BullMQ jobs processed by this process, by queue and outcome (completed, failed), from start to end.',
      ['queue', 'outcome'],
      JOB_BUCKETS,
    ),
    queueJobs: queueJobsGauge(r, options.queues ?? []),
    // The Slack surface.
    slackAckDuration: histogram(
      r,
      'firebreak_slack_ack_duration_seconds',
      "From a Slack request's arrival to the bot's answer, by request type; Slack gives up after 3 s.",
      ['type'],
      ACK_BUCKETS,
    ),
    slackApiCalls: histogram(
      r,
      'firebreak_slack_api_call_duration_seconds',
      'Slack Web API calls, by method and outcome (ok, a Slack error code, rate_limited, http_error, request_error), retries included.',
      ['method', 'outcome'],
      SLACK_API_BUCKETS,
    ),
    slackRateLimited: counter(
      r,
      'firebreak_slack_rate_limited_total',
      'HTTP 429 answers from the Slack Web API, by method (the client waits Retry-After, then retries).',
      ['method'],
    ),
    // The Alertmanager surface.
    alertRequests: counter(
      r,
      'firebreak_alert_webhook_requests_total',
      'POST /alerts/alertmanager answers, by outcome (accepted, unauthorized, invalid, too_large, unavailable).',
      ['outcome'],
    ),
    alertsReceived: counter(
      r,
      'firebreak_alerts_received_total',
      'Alerts of the deliveries the alert worker handled, by match (matched, unmatched: no runbook claims it, ambiguous).',
      ['outcome'],
    ),
    alertGroupsHandled: counter(
      r,
      'firebreak_alert_groups_handled_total',
      'Alert group deliveries handled, by what they did (opened, attached, updated, resolved, repeat, quiet, unmatched, no-incident, expired).',
      ['outcome'],
    ),
  };
}

/** Every metric of a process: the registry (served at `/metrics`) and each named metric. */
export type FirebreakMetrics = ReturnType<typeof createMetrics>;
