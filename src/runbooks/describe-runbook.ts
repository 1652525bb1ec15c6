import { type Action, type ActionGroup, type Probe, type Runbook, undoIdOf } from './runbook-schema.js';
import { checkText, conditionText, stepLines, thresholdText } from './runbook-text.js';

const indent = (lines: readonly string[], by = 2): string[] =>
  lines.map((line) => `${' '.repeat(by)}${line}`);

function section(title: string, lines: readonly string[], note?: string): string[] {
  return lines.length === 0
    ? []
    : ['', `${title.toUpperCase()}${note ? ` — ${note}` : ''}`, ...indent(lines)];
}

function probeLines(probe: Probe): string[] {
  const threshold = probe.threshold ? `; ${thresholdText(probe.threshold)}` : '';
  return [`${probe.id}: ${probe.title}`, `  ${checkText(probe.check)}${threshold}; timeout ${probe.timeout}`];
}

function triggerLines(runbook: Runbook): string[] {
  const { alerts, logPatterns, symptoms } = runbook.triggers;
  const labels = (record: Record<string, string>) =>
    Object.keys(record).length === 0
      ? ''
      : ` (${Object.entries(record)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`;
  return [
    ...alerts.map((a) => `alert ${a.alert}: ${a.expr}${a.for ? ` for ${a.for}` : ''}${labels(a.labels)}`),
    ...(logPatterns.length > 0 ? ['log patterns:', ...indent(logPatterns.map((p) => `"${p}"`))] : []),
    ...(symptoms.length > 0 ? ['symptoms:', ...indent(symptoms.map((s) => `- ${s}`))] : []),
  ];
}

function diagnosisLines(runbook: Runbook): string[] {
  const steps = [...new Set(runbook.probes.flatMap((p) => (p.step === undefined ? [] : [p.step])))];
  steps.sort((a, b) => a - b);
  return steps.flatMap((step) => [
    `step ${step}`,
    ...indent(runbook.probes.filter((p) => p.step === step).flatMap(probeLines)),
  ]);
}

function actionLines(action: Action, undoneBy: ReadonlyMap<string, string[]>): string[] {
  const flags = action.destructive ? ' [destructive]' : '';
  const undoes = undoneBy.get(action.id);
  return [
    `${action.id}: ${action.title}${flags}`,
    ...indent([
      ...(action.description ? [action.description] : []),
      ...(action.when ? [`only when ${conditionText(action.when)}`] : []),
      ...(action.approvals && action.approvals > 1 ? [`needs ${action.approvals} approvals`] : []),
      ...(action.capture ?? []).map((c) => `reads first into ${c.as}: ${stepLines(c.read).join('; ')}`),
      ...stepLines(action.run),
      ...(typeof action.undo === 'string' ? [`undo: ${action.undo}`] : []),
      ...(action.undo && typeof action.undo === 'object' ? [`no undo: ${action.undo.none}`] : []),
      ...(undoes ? [`undoes: ${undoes.join(', ')}`] : []),
    ]),
  ];
}

function groupLines(runbook: Runbook, group: ActionGroup, undoneBy: ReadonlyMap<string, string[]>): string[] {
  const deadline = group.deadline ? ` — within ${group.deadline}` : '';
  const actions = runbook.actions.filter((a) => a.group === group.id);
  return [
    `${group.id} ${group.title}${deadline}`,
    ...indent(actions.flatMap((a) => actionLines(a, undoneBy))),
  ];
}

function scenarioLines(runbook: Runbook, undoneBy: ReadonlyMap<string, string[]>): string[] {
  return runbook.scenarios.flatMap((scenario) => [
    `${scenario.number}. ${scenario.title} (${scenario.id})`,
    ...indent([
      `detected when ${conditionText(scenario.detect)}`,
      ...(scenario.probes.length > 0 ? [`diagnosis probes: ${scenario.probes.join(', ')}`] : []),
      ...runbook.groups
        .filter((g) => g.scenario === scenario.id)
        .flatMap((g) => groupLines(runbook, g, undoneBy)),
    ]),
  ]);
}

function checklistLines(runbook: Runbook): string[] {
  const windows = [...new Set(runbook.checklist.map((item) => item.within))];
  const checklistProbes = runbook.probes.filter((p) => p.step === undefined);
  return [
    ...windows.flatMap((within) => [
      `within ${within} of recovery`,
      ...indent(
        runbook.checklist
          .filter((item) => item.within === within)
          .map(
            (item) =>
              `[ ] ${item.title} — ${item.condition ? conditionText(item.condition) : 'checked by a person'}`,
          ),
      ),
    ]),
    ...(checklistProbes.length > 0
      ? ['probes run for the checklist:', ...indent(checklistProbes.flatMap(probeLines))]
      : []),
  ];
}

function monitoringLines(runbook: Runbook): string[] {
  const { dashboards, queries, alertRules } = runbook.monitoring;
  return [
    ...dashboards.map((d) => `dashboard ${d.title}: ${d.url}`),
    ...queries.map((q) => `query ${q.title}: ${q.promql}`),
    ...alertRules.map((a) => `alert rule ${a.alert}: ${a.expr}${a.for ? ` for ${a.for}` : ''}`),
  ];
}

function postmortemLines(runbook: Runbook): string[] {
  const pm = runbook.postmortem;
  if (!pm) return [];
  return [
    'timeline:',
    ...indent(pm.timeline.map((t) => `- ${typeof t === 'string' ? t : t.title}`)),
    ...(pm.impactQueries.length > 0 ? ['impact:'] : []),
    ...indent(
      pm.impactQueries.flatMap((q) => [
        q.title,
        ...(q.sql ? indent(['SQL:', ...indent(q.sql.split('\n'))]) : []),
        ...(q.promql ? indent([`PromQL: ${q.promql}`]) : []),
      ]),
    ),
    ...(pm.fiveWhys.length > 0
      ? [
          'five whys:',
          ...indent(pm.fiveWhys.map((w, i) => `${i + 1}. ${typeof w === 'string' ? w : w.question}`)),
        ]
      : []),
    ...(pm.prevention.length > 0 ? ['prevention:', ...indent(pm.prevention.map((p) => `[ ] ${p}`))] : []),
  ];
}

/**
 * The runbook's plan as a person reads it, for `firebreak show <kind>`: triggers, diagnosis steps,
 * the groups with a deadline (P1–P3, in file order), the scenarios with their own actions, the
 * other groups offered at once (scaling), the checklist, the after-recovery groups, monitoring and
 * the postmortem. Pure and deterministic. Text is printed as written — `${VAR:-default}` is never
 * resolved — so secrets cannot leak into it.
 */
export function describeRunbook(runbook: Runbook): string {
  const undoneBy = new Map<string, string[]>();
  for (const action of runbook.actions) {
    const undo = undoIdOf(action);
    if (undo) undoneBy.set(undo, [...(undoneBy.get(undo) ?? []), action.id]);
  }
  const immediate = runbook.groups.filter((g) => g.offer === 'immediately' && g.scenario === undefined);
  const groups = (list: readonly ActionGroup[]) => list.flatMap((g) => groupLines(runbook, g, undoneBy));
  const lines = [
    `${runbook.kind} — ${runbook.title} [${runbook.severity}]`,
    ...(runbook.summary ? [runbook.summary] : []),
    ...section('Triggers', triggerLines(runbook)),
    ...section('Diagnosis', diagnosisLines(runbook), 'probes run in parallel when the incident opens'),
    ...section('Actions', groups(immediate.filter((g) => g.deadline !== undefined))),
    ...section('Scenarios', scenarioLines(runbook, undoneBy)),
    ...section('More actions', groups(immediate.filter((g) => g.deadline === undefined))),
    ...section('Recovery checklist', checklistLines(runbook)),
    ...section(
      'Normalization',
      groups(runbook.groups.filter((g) => g.offer === 'after-recovery')),
      'offered after recovery',
    ),
    ...section('Monitoring', monitoringLines(runbook)),
    ...section('Postmortem', postmortemLines(runbook)),
  ];
  return `${lines.join('\n')}\n`;
}
