import { previewStep } from '../executors/preview-step.js';
import { conditionText } from '../runbooks/runbook-text.js';
import { isNobody } from '../timeline/people.js';
import { actionTargets } from './action-targets.js';
import { loadDecision } from './decision-context.js';
import type { IncidentDeps } from './incident-deps.js';
import { describePeople, type Refusal } from './refusal.js';
import { undoVariables } from './undo-variables.js';

export type PreviewResult =
  | {
      kind: 'preview';
      title: string;
      /** Plain text, several lines: what it would run, fully resolved, secrets masked; what it needs. */
      text: string;
      /** The incident, the runbook or the action is a dry run: approving it changes nothing either. */
      dryRun: boolean;
    }
  | { kind: 'refused'; refusal: Refusal };

/**
 * What approving an action would do, without approving it: the step as the executor would send it
 * (method, URL, headers and body; argv; Redis command), what it reads first for its undo, the
 * targets it holds, its guard and who must approve. Anyone who sees the card may look; nothing runs,
 * and no probe either (the guard is checked, fresh, when someone approves).
 */
export async function previewAction(
  deps: IncidentDeps,
  request: { incidentId: string; actionId: string },
): Promise<PreviewResult> {
  const loaded = await loadDecision(deps, request.incidentId, request.actionId);
  if (!loaded.ok) return { kind: 'refused', refusal: loaded.refusal };
  const { incident, runbook, action, states } = loaded.context;
  const undo = undoVariables(runbook, action, states);
  const vars = { ...deps.vars, ...(undo.ok ? undo.values : {}) };
  const requirement = deps.policy.requirement(incident, runbook, action);
  const targets = actionTargets(action, deps.vars);
  const who = isNobody(requirement.approvers)
    ? 'anyone in the channel'
    : describePeople(requirement.approvers);
  const lines = [
    ...(action.capture ?? []).map((c) => `Reads ${c.as} first: ${previewStep(c.read, vars, deps.secrets)}`),
    previewStep(action.run, vars, deps.secrets),
    ...(undo.ok ? [] : [`Would not run now: ${undo.missing}`]),
    ...(action.when
      ? [`Runs only when ${conditionText(action.when)} (checked on fresh values at approval)`]
      : []),
    ...(targets.length > 0 ? [`Holds ${targets.join(', ')}: other actions on it wait until it is done`] : []),
    `Needs ${requirement.approvals} approval${requirement.approvals > 1 ? 's from different people' : ''} (${who})` +
      (requirement.otherThan ? ', not the requester alone' : ''),
  ];
  const dryRun = Boolean(incident.dryRun || runbook.dryRun || action.dryRun);
  return { kind: 'preview', title: action.title, text: lines.join('\n'), dryRun };
}
