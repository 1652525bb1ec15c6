// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runCli } from '../../../src/cli/firebreak.js';
import type { Diagnosis } from '../../../src/diagnostics/run-diagnosis.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { writePostmortem } from '../../../src/postmortem/write-postmortem.js';
import { runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import type { TimelineEvent } from '../../../src/timeline/timeline-entry.js';
import { runChecks } from '../../../src/verification/run-checks.js';
import { tickCheck } from '../../../src/verification/tick-check.js';
import { ALICE, BOB, createFixture, type Fixture, slackUser } from '../incidents/incident-fixture.js';
import { testClock } from '../verification/clock.js';
import { writeApiLogs } from './api-logs.js';
import { startFakePrometheus } from './fake-prometheus.js';

const CAROL = 'U0CAROL003';
const at = (hms: string) => `2026-11-25T${hms}.000Z`;
const s = (hms: string) => Date.parse(at(hms)) / 1000;

const runbook = runbookSchema.parse({
  kind: 'pm',
  title: 'Errors spike',
  severity: 'critical',
  probes: [
    {
      id: 'error-rate',
      title: 'Error rate',
      step: 1,
      check: { type: 'prometheus', url: '${PROM_URL}', query: 'sum(rate(errors_total[1m]))' },
      threshold: { op: '>', warn: 1, critical: 20, unit: 'req/s' },
    },
  ],
  groups: [{ id: 'P1', title: 'Traffic control' }],
  actions: [
    {
      id: 'limit',
      title: 'Emergency rate limit',
      group: 'P1',
      run: { type: 'manual', instructions: 'limit' },
    },
    { id: 'shed', title: 'Shed batch jobs', group: 'P1', run: { type: 'manual', instructions: 'shed' } },
  ],
  checklist: [
    {
      id: 'check-rate',
      title: 'Error rate < 1/s',
      within: '5m',
      condition: { probe: 'error-rate', op: '<', value: 1 },
    },
    { id: 'check-by-hand', title: 'Checkout works by hand', within: '5m' },
    {
      id: 'check-later',
      title: 'Error rate still < 1/s',
      within: '30m',
      condition: { probe: 'error-rate', op: '<', value: 1 },
    },
  ],
  postmortem: {
    timeline: [
      { milestone: 'occurred', title: 'Errors started' },
      { milestone: 'alerted', title: 'Alert received' },
      { milestone: 'response-started', title: 'Response started' },
      { milestone: 'actions', title: 'Action executed' },
      { milestone: 'recovered', title: 'Fully recovered' },
      { milestone: 'resolved', title: 'Resolved' },
      'Customer communication sent',
    ],
    prometheus: '${PROM_URL}',
    errorRate: { promql: 'sum(rate(errors_total[1m]))', riseAbove: 1, lookback: '30m' },
    database: { sqlite: '${API_DB:-}', timestamps: 'sqlite' },
    impactQueries: [
      {
        title: 'Requests that failed with 503',
        sql: "SELECT COUNT(*) FROM api_logs WHERE status_code = 503 AND timestamp BETWEEN '${START_TIME}' AND '${END_TIME}';",
        promql: 'sum(increase(errors_total[${INCIDENT_DURATION}]))',
      },
      {
        title: 'Users affected',
        sql: "SELECT COUNT(DISTINCT user_id) FROM api_logs WHERE status_code >= 500 AND timestamp BETWEEN '${START_TIME}' AND '${END_TIME}';",
      },
    ],
    fiveWhys: [
      { question: 'Why did errors spike?', evidence: ['error-rate', 'scenarios'] },
      { question: 'Why did it take this long to notice?', evidence: ['detection'] },
      { question: 'Why was the limit the right lever?', evidence: ['actions', 'checklist'] },
      'Why was there no capacity headroom?',
    ],
    prevention: ['Alert on the error rate at 5/s', 'Load test before each release'],
  },
});

/** 0 until 09:58, 30/s through the spike with a 42.5/s peak at 10:04:30, 0.2/s from 10:07. */
const errorRate = (t: number) =>
  t < s('09:58:00') ? 0 : t === s('10:04:30') ? 42.5 : t < s('10:07:00') ? 30 : 0.2;

let prometheus: Awaited<ReturnType<typeof startFakePrometheus>>;
let logs: ReturnType<typeof writeApiLogs>;
let f: Fixture;
const clock = testClock();

beforeAll(async () => {
  prometheus = await startFakePrometheus({
    range: errorRate,
    instant: (query, time) => (query.startsWith('sum(increase(') ? 9876 : errorRate(time)),
  });
  logs = writeApiLogs([
    { at: at('09:50:00'), status: 503, user: 'early' }, // before the incident
    { at: at('09:58:00'), status: 503, user: 'u1' },
    { at: at('10:01:00'), status: 503, user: 'u2' },
    { at: at('10:05:00'), status: 503, user: 'u2' },
    { at: at('10:06:00'), status: 502, user: 'u3' },
    { at: at('10:06:30'), status: 200, user: 'u4' },
    { at: at('10:30:00'), status: 503, user: 'late' }, // after recovery
  ]);
  clock.set(at('10:02:00'));
  f = await createFixture(inject('redisUrl'), {
    runbooks: [runbook],
    vars: { PROM_URL: prometheus.url, API_DB: logs.path },
    now: clock.now,
  });
});
afterAll(async () => {
  await f?.close();
  await prometheus?.close();
  logs?.remove();
});

const diagnosis: Diagnosis = {
  startedAt: at('10:02:01'),
  finishedAt: at('10:02:05'),
  results: [
    {
      probeId: 'error-rate',
      title: 'Error rate',
      step: 1,
      verdict: 'critical',
      value: 30,
      unit: 'req/s',
      threshold: 'warn > 1 req/s, critical > 20 req/s',
      detail: '1 series: 30',
      durationMs: 12,
    },
  ],
  scenarios: [],
};

it('the postmortem of a scripted incident: every section, from the recorded times', async () => {
  const incident = await f.seedIncident({
    kind: 'pm',
    title: runbook.title,
    severity: 'critical',
    openedAt: clock.iso(),
    summary: 'checkout returns 503',
  });
  const record = async (time: string, event: TimelineEvent, actor?: string) => {
    clock.set(at(time));
    await f.deps.timeline.record(incident.id, event, actor ? slackUser(actor) : undefined);
  };
  await record('10:02:00', { type: 'incident.opened', summary: 'checkout returns 503' }, ALICE);
  await f.store.saveDiagnosis(incident.id, diagnosis);
  await record('10:02:05', { type: 'diagnosis.completed' });
  await record('10:02:06', { type: 'incident.status', from: 'opening', to: 'investigating' });
  await record('10:03:10', { type: 'action.decided', actionId: 'limit', status: 'queued' }, BOB);
  await record('10:03:11', { type: 'action.started', actionId: 'limit' });
  await record('10:03:12', {
    type: 'action.finished',
    actionId: 'limit',
    status: 'succeeded',
    summary: 'marked done by hand',
  });
  await record('10:03:30', { type: 'action.decided', actionId: 'shed', status: 'skipped' }, ALICE);
  await record('10:04:00', { type: 'note', text: 'Rate limit holds | errors dropping' }, ALICE);
  await record(
    '10:05:00',
    { type: 'message.pinned', text: 'Customer reports checkout failing since 09:58', markedBy: ALICE },
    CAROL,
  );

  clock.set(at('10:08:12'));
  expect(
    await runChecks(f.core.verification, incident.id, { scope: 'due', trigger: 'schedule' }),
  ).toMatchObject({
    kind: 'ran',
    results: [{ checkId: 'check-rate', status: 'passed', evidence: ['error-rate 0.2 req/s < 1'] }],
  });
  clock.set(at('10:09:00'));
  expect(await tickCheck(f.core.verification, incident.id, 'check-by-hand', slackUser(BOB))).toEqual({
    kind: 'ticked',
    recoveredAt: at('10:09:00'),
  });
  clock.set(at('10:20:00'));
  const resolved = await resolveIncident(f.deps, incident.id, slackUser(ALICE), {
    reason: 'stable for 10 minutes',
  });
  expect(resolved.kind).toBe('resolved');

  clock.set(at('10:21:00'));
  const written = await writePostmortem(f.core.postmortem, incident.id);
  if (written.kind !== 'written') throw new Error('no postmortem');
  await expect(written.markdown).toMatchFileSnapshot('../../fixtures/postmortem/scripted-incident.md');

  // Kept with the incident, and the same recorded times feed the histograms.
  expect((await f.core.postmortem.postmortems.get(incident.id))?.markdown).toBe(written.markdown);
  const histogram = async (name: 'timeToAcknowledge' | 'timeToMitigate' | 'timeToRecover') =>
    (await f.core.metrics[name].get()).values.find((v) => v.metricName?.endsWith('_sum'))?.value;
  expect(await histogram('timeToAcknowledge')).toBe(70);
  expect(await histogram('timeToMitigate')).toBe(72);
  expect(await histogram('timeToRecover')).toBe(420);
  // The count was asked over the window ending at recovery, the peak over the same window.
  const increase = prometheus.asked.find((p) => p.get('query')?.startsWith('sum(increase('));
  expect(increase?.get('query')).toBe('sum(increase(errors_total[660s]))');
  expect(increase?.get('time')).toBe(String(s('10:09:00')));

  // `firebreak postmortem <id>` prints the kept document.
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const env = { REDIS_URL: inject('redisUrl'), REDIS_PREFIX: f.prefix };
  expect(await runCli(['postmortem', incident.id], io, env)).toBe(0);
  expect(out.join('\n')).toBe(written.markdown.trimEnd());
  expect(await runCli(['postmortem', '20261125-pm-none'], io, env)).toBe(1);
  expect(err.at(-1)).toContain('no incident 20261125-pm-none');
});
