import type { Diagnosis } from '../diagnostics/run-diagnosis.js';
import { parseDuration } from '../runbooks/duration.js';
import { interpolate, interpolateForDisplay, variablesIn } from '../runbooks/interpolate.js';
import type { Postmortem } from '../runbooks/runbook-schema.js';
import { checklistView } from '../verification/checklist-plan.js';
import { type IncidentWithAlert, milestonesOf } from '../verification/incident-milestones.js';
import { actionRuns } from './action-runs.js';
import { firstRise, peakOf } from './find-occurred.js';
import type { PostmortemDeps } from './postmortem-deps.js';
import type { ImpactLine, PostmortemFacts } from './postmortem-facts.js';
import { queryAt, queryRange, stepFor } from './query-prometheus.js';
import { querySqlite } from './query-sqlite.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A template read from the environment, or undefined when it is empty or names an unset variable. */
function resolved(template: string | undefined, vars: PostmortemDeps['vars']): string | undefined {
  if (!template) return undefined;
  try {
    return interpolate(template, vars) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything the postmortem says, from the incident's own records (timeline, actions, checklist,
 * diagnosis) and, when the runbook says where, from Prometheus and the application's database.
 */
export async function gatherPostmortem(
  deps: PostmortemDeps,
  incidentId: string,
): Promise<PostmortemFacts | undefined> {
  const incident = (await deps.store.get(incidentId)) as IncidentWithAlert | undefined;
  if (!incident) return undefined;
  const runbook = deps.runbooks.get(incident.kind);
  const timeline = await deps.store.readTimeline(incidentId);
  const record = await deps.checklist.read(incidentId);
  const diagnosis = await deps.store.getDiagnosis<Diagnosis>(incidentId);
  const milestones = milestonesOf(incident, record);
  const pm = runbook?.postmortem;
  const prometheus = resolved(pm?.prometheus, deps.vars);
  const timeoutMs = deps.prometheusTimeoutMs ?? 10_000;

  let occurredAt = incident.occurredAt;
  if (!occurredAt && prometheus && pm?.errorRate) {
    const start = new Date(
      Date.parse(milestones.alertedAt) - parseDuration(pm.errorRate.lookback),
    ).toISOString();
    const range = { start, end: milestones.alertedAt, stepS: stepFor(start, milestones.alertedAt) };
    const points = await queryRange(prometheus, pm.errorRate.promql, range, timeoutMs);
    const rise = points.ok ? firstRise(points.value, pm.errorRate.riseAbove) : undefined;
    if (rise !== undefined) occurredAt = iso(rise);
  }
  const occurredFrom = incident.occurredAt ? 'incident' : occurredAt ? 'prometheus' : 'unknown';
  const endsAt = milestones.recoveredAt ? 'recovered' : milestones.resolvedAt ? 'resolved' : 'now';
  const window = {
    start: occurredAt ?? milestones.alertedAt,
    end: milestones.recoveredAt ?? milestones.resolvedAt ?? deps.now().toISOString(),
    endsAt,
  } as const;

  const facts: PostmortemFacts = {
    incident,
    runbook,
    generatedAt: deps.now().toISOString(),
    milestones: { ...milestones, ...(occurredAt ? { occurredAt } : {}), occurredFrom },
    timeline,
    actions: actionRuns(timeline),
    checks: runbook ? checklistView(runbook, record) : [],
    ...(diagnosis ? { diagnosis } : {}),
    window,
    impact: [],
  };
  if (!pm) return facts;
  facts.impact = await promImpact(pm, prometheus, window, deps.vars, timeoutMs);
  if (prometheus && pm.errorRate) {
    const { promql } = pm.errorRate;
    const points = await queryRange(
      prometheus,
      promql,
      { ...window, stepS: stepFor(window.start, window.end) },
      timeoutMs,
    );
    const peak = points.ok ? peakOf(points.value) : undefined;
    facts.peak = points.ok
      ? peak
        ? { value: peak.value, at: iso(peak.at), query: promql }
        : { error: 'no data in the window', query: promql }
      : { error: points.error, query: promql };
  }
  const sqlQueries = pm.impactQueries.filter((q) => q.sql);
  const database = resolved(pm.database?.sqlite, deps.vars);
  if (sqlQueries.length > 0 && (!pm.database || !database)) {
    const names = pm.database ? variablesIn(pm.database.sqlite) : [];
    facts.sqlSkipped = `no database configured${names.length > 0 ? ` (set ${names.join(', ')})` : ' (postmortem.database)'}`;
  } else if (pm.database && database) {
    const answers = querySqlite(
      database,
      sqlQueries.map((q) => q.sql ?? ''),
      window,
      pm.database.timestamps,
    );
    sqlQueries.forEach((q, i) => {
      const answer = answers[i];
      facts.impact.push({
        title: q.title,
        source: 'sql',
        query: q.sql ?? '',
        ...(answer?.ok
          ? answer.value === undefined
            ? {}
            : { value: answer.value }
          : { error: answer?.error ?? 'not run' }),
      });
    });
  }
  return facts;
}

/** Each impact query's PromQL evaluated at the window's end over the window (`${INCIDENT_DURATION}`). */
async function promImpact(
  pm: Postmortem,
  prometheus: string | undefined,
  window: { start: string; end: string },
  vars: PostmortemDeps['vars'],
  timeoutMs: number,
): Promise<ImpactLine[]> {
  const durationS = Math.max(1, Math.round((Date.parse(window.end) - Date.parse(window.start)) / 1000));
  const windowVars = {
    ...vars,
    INCIDENT_DURATION: `${durationS}s`,
    START_TIME: window.start,
    END_TIME: window.end,
  };
  const lines: ImpactLine[] = [];
  for (const q of pm.impactQueries) {
    if (!q.promql) continue;
    const query = interpolateForDisplay(q.promql, windowVars);
    if (!prometheus) {
      lines.push({
        title: q.title,
        source: 'prometheus',
        query,
        error: 'no Prometheus configured (postmortem.prometheus)',
      });
      continue;
    }
    let text: string;
    try {
      text = interpolate(q.promql, windowVars);
    } catch (err) {
      lines.push({ title: q.title, source: 'prometheus', query, error: (err as Error).message });
      continue;
    }
    const answer = await queryAt(prometheus, text, window.end, timeoutMs);
    lines.push({
      title: q.title,
      source: 'prometheus',
      query,
      ...(answer.ok ? { value: answer.value ?? 0 } : { error: answer.error }),
    });
  }
  return lines;
}
