import type { PostmortemMilestone, Runbook } from '../runbooks/runbook-schema.js';
import type { TimelineEntry } from '../timeline/timeline-entry.js';
import type { ActionRun } from './action-runs.js';
import { humanDuration, utc, who } from './markdown.js';
import type { PostmortemFacts } from './postmortem-facts.js';

interface Row {
  at: string;
  what: string;
  who: string;
}

const DEFAULT_TITLES: Record<PostmortemMilestone, string> = {
  occurred: 'Incident started',
  alerted: 'Alerted',
  'response-started': 'Response started',
  actions: 'Action',
  recovered: 'Recovered',
  resolved: 'Resolved',
};

/** The runbook's words for a milestone (`postmortem.timeline`), else Firebreak's. */
export function milestoneTitle(runbook: Runbook | undefined, milestone: PostmortemMilestone): string {
  const bound = runbook?.postmortem?.timeline.find((t) => typeof t !== 'string' && t.milestone === milestone);
  return bound && typeof bound !== 'string' ? bound.title : DEFAULT_TITLES[milestone];
}

function actionTitle(runbook: Runbook | undefined, actionId: string): string {
  const action = runbook?.actions.find((a) => a.id === actionId);
  return action ? `${action.group} · ${action.title}` : actionId;
}

function checkTitle(runbook: Runbook | undefined, checkId: string): string {
  return runbook?.checklist.find((c) => c.id === checkId)?.title ?? checkId;
}

function actionRow(facts: PostmortemFacts, run: ActionRun): Row {
  const title = `**${actionTitle(facts.runbook, run.actionId)}**`;
  const by = who(run.decidedBy, run.decidedVia);
  if (run.decision === 'skipped') return { at: run.decidedAt, what: `${title} skipped`, who: by };
  const ran =
    run.startedAt && run.finishedAt
      ? `ran ${utc(run.startedAt)} → ${utc(run.finishedAt)} (${humanDuration((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000)})`
      : run.startedAt
        ? `started ${utc(run.startedAt)}, no result recorded`
        : 'never started';
  const result = run.outcome ? `: **${run.outcome}**${run.summary ? ` — ${run.summary}` : ''}` : '';
  return {
    at: run.finishedAt ?? run.startedAt ?? run.decidedAt,
    what: `${milestoneTitle(facts.runbook, 'actions')}: ${title} — approved ${utc(run.decidedAt)}, ${ran}${result}`,
    who: by,
  };
}

/** The entries a reader of the postmortem wants besides the milestones and actions. */
function entryRow(facts: PostmortemFacts, entry: TimelineEntry): Row | undefined {
  const base = { at: entry.at, who: who(entry.actor, entry.via) };
  switch (entry.type) {
    case 'note':
      return { ...base, what: `Note: ${entry.text}` };
    case 'message.pinned':
      return {
        ...base,
        what: `Pinned message: ${entry.text}${entry.markedBy ? ` (pinned by ${entry.markedBy})` : ''}`,
      };
    case 'diagnosis.completed': {
      const results = facts.diagnosis?.results ?? [];
      const count = (v: string) => results.filter((r) => r.verdict === v).length;
      const likely = facts.diagnosis?.scenarios.filter((s) => s.matched).map((s) => s.title) ?? [];
      return {
        ...base,
        what: `Diagnosis: ${count('critical')} critical, ${count('warn')} warn, ${count('ok')} ok${likely.length > 0 ? `; likely ${likely.join(', ')}` : ''}`,
      };
    }
    case 'checklist.started':
      return {
        ...base,
        what: `Recovery checklist scheduled: ${entry.tiers.map((t) => `${t.within} at ${utc(t.dueAt)}`).join(', ')}`,
      };
    case 'checklist.checked': {
      const failing = entry.results.filter((r) => r.status !== 'passed');
      const passed = entry.results.length - failing.length;
      const rest = failing.map((r) => `${checkTitle(facts.runbook, r.checkId)} ${r.status}`).join('; ');
      return {
        ...base,
        what: `Checks (${entry.trigger === 'request' ? 'on request' : 'scheduled'}): ${passed} of ${entry.results.length} passed${rest ? `; ${rest}` : ''}`,
      };
    }
    case 'checklist.ticked':
      return { ...base, what: `Check ticked: ${checkTitle(facts.runbook, entry.checkId)}` };
    case 'checklist.regressed':
      return {
        ...base,
        what: `Check failed after recovery: ${entry.results.map((r) => `${checkTitle(facts.runbook, r.checkId)} (${r.evidence.join('; ')})`).join('; ')}`,
      };
    case 'incident.status':
      return entry.to === 'resolved' ? undefined : { ...base, what: `Status: ${entry.from} → ${entry.to}` };
    case 'alert.attached':
      return {
        ...base,
        what: `Alert ${entry.alertname} joined: ${entry.firing} firing since ${utc(entry.since)}${entry.severity ? `, severity ${entry.severity.from} → ${entry.severity.to}` : ''}`,
      };
    case 'alert.firing':
      return entry.repeat
        ? undefined
        : { ...base, what: `Alert ${entry.alertname}: ${entry.firing} firing, ${entry.resolved} resolved` };
    case 'alert.resolved':
      return { ...base, what: `Alert ${entry.alertname} resolved at ${utc(entry.resolvedAt)}` };
    default:
      return undefined;
  }
}

/** Every row of the timeline table, in time order (ties keep the timeline's order). */
export function timelineRows(facts: PostmortemFacts): Row[] {
  const m = facts.milestones;
  const title = (milestone: PostmortemMilestone) => milestoneTitle(facts.runbook, milestone);
  const rows: Row[] = [];
  if (m.occurredAt) {
    const from =
      m.occurredFrom === 'prometheus'
        ? 'the error rate’s first rise in Prometheus'
        : 'recorded with the incident';
    rows.push({ at: m.occurredAt, what: `${title('occurred')} (${from})`, who: '' });
  }
  const inc = facts.incident;
  rows.push({
    at: m.alertedAt,
    what: `${title('alerted')}: incident opened`,
    who: who(inc.openedBy, inc.openedVia),
  });
  const first = facts.actions.find((a) => a.decision === 'approved');
  if (first && m.approvedAt) {
    rows.push({
      at: m.approvedAt,
      what: `${title('response-started')}: first approval (${actionTitle(facts.runbook, first.actionId)})`,
      who: who(first.decidedBy, first.decidedVia),
    });
  }
  rows.push(...facts.actions.map((run) => actionRow(facts, run)));
  for (const entry of facts.timeline) {
    const row = entryRow(facts, entry);
    if (row) rows.push(row);
  }
  if (m.recoveredAt)
    rows.push({ at: m.recoveredAt, what: `${title('recovered')}: every first-tier check passed`, who: '' });
  if (m.resolvedAt)
    rows.push({ at: m.resolvedAt, what: title('resolved'), who: who(inc.resolvedBy, inc.resolvedVia) });
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => Date.parse(a.row.at) - Date.parse(b.row.at) || a.i - b.i)
    .map(({ row }) => row);
}
