import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { z } from 'zod';
import { evaluateCondition } from '../../diagnostics/evaluate-condition.js';
import type { ProbeResult } from '../../diagnostics/probe-result.js';
import type { Diagnosis } from '../../diagnostics/run-diagnosis.js';
import { describeStep } from '../../executors/execute-step.js';
import { redactUrlPassword } from '../../executors/redact-secrets.js';
import { openDecisions } from '../../incidents/action-rules.js';
import type { ActionState, HostRun } from '../../incidents/action-state.js';
import { activeStatuses, type Incident } from '../../incidents/incident.js';
import { actionPlacement } from '../../runbooks/host-placement.js';
import { interpolateForDisplay, type Variables } from '../../runbooks/interpolate.js';
import type { Action, ActionGroup, Runbook } from '../../runbooks/runbook-schema.js';
import { clip, context, escapeMrkdwn, type RenderedMessage, section, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';

/** What a button carries back: which action, and how many attempts the clicker saw (stale-click guard). */
export interface ButtonValue {
  i: string;
  a: string;
  n: number;
}

export function encodeButtonValue(value: ButtonValue): string {
  return JSON.stringify(value);
}

// Ids as Firebreak makes them (incident ids, runbook slugs): no ':' (BullMQ job ids, Redis keys), short.
const buttonId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const buttonValueSchema = z.object({ i: buttonId, a: buttonId, n: z.number().int().min(0).max(1000) });

/** The value of a button Firebreak rendered, or undefined for anything else (a forged or mangled click). */
export function decodeButtonValue(raw: string | undefined): ButtonValue | undefined {
  try {
    const parsed = buttonValueSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a step runs, with its targets resolved for the reader (credentials stay `${NAME}`). */
function shownStep(action: Action, vars: Variables): string {
  return redactUrlPassword(interpolateForDisplay(describeStep(action.run), vars));
}

/** The decisions the core would accept right now, as buttons (`action-rules.ts` decides which). */
function buttons(
  incident: Incident,
  action: Action,
  state: ActionState | undefined,
  vars: Variables,
): ActionsBlock | undefined {
  const open = openDecisions(state, incident.status);
  if (open.length === 0) return undefined;
  const attempts = state?.attempt ?? 0;
  const value = encodeButtonValue({ i: incident.id, a: action.id, n: attempts });
  const elements: Button[] = [];
  if (open.includes('approve')) {
    const approve: Button = {
      type: 'button',
      action_id: `approve-${action.id}`,
      text: { type: 'plain_text', text: attempts > 0 ? 'Approve again' : 'Approve' },
      style: action.destructive ? 'danger' : 'primary',
      value,
    };
    if (action.destructive) {
      approve.confirm = {
        title: { type: 'plain_text', text: 'Destructive action' },
        text: {
          type: 'mrkdwn',
          text: clip(
            `*${escapeMrkdwn(action.title)}*\n\`${escapeMrkdwn(shownStep(action, vars))}\`\nRun it now?`,
            290,
          ),
        },
        confirm: { type: 'plain_text', text: 'Run it' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      };
    }
    elements.push(approve);
  }
  if (open.includes('skip')) {
    elements.push({
      type: 'button',
      action_id: `skip-${action.id}`,
      text: { type: 'plain_text', text: 'Skip' },
      value,
    });
  }
  return { type: 'actions', block_id: `act-${action.id}`, elements };
}

function statusLine(state: ActionState | undefined, incident: Incident, action: Action): string | undefined {
  if (!state || state.status === 'offered') {
    return activeStatuses.has(incident.status) ? undefined : `:lock: not run — incident ${incident.status}`;
  }
  const by = state.decidedBy ? ` by ${renderActor(state.decidedBy, state.decidedVia)}` : '';
  const when = state.decidedAt ? ` ${slackDate(state.decidedAt)}` : '';
  const attempt = (state.attempt ?? 1) > 1 ? ` (attempt ${state.attempt})` : '';
  // Which host of its role ran it, unless the per-host line below says it for each.
  const on =
    state.runner && action.on !== undefined && !state.hosts ? ` on *${escapeMrkdwn(state.runner.name)}*` : '';
  switch (state.status) {
    case 'queued':
      return state.waiting && state.waiting.attempt === state.attempt
        ? `:hourglass_flowing_sand: *queued*${attempt}, waiting — ${escapeMrkdwn(state.waiting.text)} · approved${by}${when}`
        : `:hourglass_flowing_sand: *queued*${attempt} — approved${by}${when}`;
    case 'running':
      return `:arrow_forward: *running*${on}${attempt} — approved${by}${when}`;
    case 'succeeded':
      return `:white_check_mark: *succeeded*${on}${attempt} — ${escapeMrkdwn(state.summary ?? '')} · approved${by}`;
    case 'failed':
      return `:x: *failed*${on}${attempt} — ${escapeMrkdwn(state.summary ?? '')} · approved${by}`;
    case 'skipped':
      return `:fast_forward: *skipped*${by}${when}`;
  }
}

const hostIcon: Record<HostRun['status'], string> = {
  pending: ':white_circle:',
  running: ':arrow_forward:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  skipped: ':fast_forward:',
};

/** An `each` action's hosts: `✅ gen-1 · ▶️ gen-2 · ⚪ gen-3`, with the failed host's reason. */
function hostsLine(hosts: readonly HostRun[]): string {
  return hosts
    .map((h) => {
      const why = h.status === 'failed' && h.summary ? ` (${escapeMrkdwn(clip(h.summary, 120))})` : '';
      return `${hostIcon[h.status]} ${escapeMrkdwn(h.host)}${why}`;
    })
    .join(' · ');
}

/** Where a placed action runs, for the person approving it. */
function placementText(action: Action): string {
  const placement = actionPlacement(action);
  if (!placement) return '';
  return placement.each
    ? ` _on every ${escapeMrkdwn(placement.role)} host, one after the other_`
    : ` _on one ${escapeMrkdwn(placement.role)} host_`;
}

/** What the action runs; a manual step shows its whole instructions, the point of the step. */
function runText(action: Action, vars: Variables): string {
  if (action.run.type === 'manual')
    return `:raised_hand: _By hand:_ ${escapeMrkdwn(action.run.instructions.trim())}`;
  return `\`${escapeMrkdwn(shownStep(action, vars))}\`${placementText(action)}`;
}

function guardText(action: Action, results: ReadonlyMap<string, ProbeResult>): string {
  if (!action.when) return '';
  const { met, evidence } = evaluateCondition(action.when, results);
  const label =
    met === true
      ? ':ballot_box_with_check: guard met'
      : met === false
        ? ':white_circle: guard not met'
        : ':grey_question: guard unknown';
  return `\n${label}${evidence.length ? `: ${escapeMrkdwn(evidence.join('; '))}` : ''}`;
}

function groupTitle(group: ActionGroup, diagnosis: Diagnosis | undefined): string {
  const deadline = group.deadline ? ` — within ${group.deadline}` : '';
  let note = '';
  if (group.scenario) {
    const match = diagnosis?.scenarios.find((s) => s.scenarioId === group.scenario);
    note = match?.matched ? ' · :dart: *matches the diagnosis*' : ' · not indicated by the diagnosis';
  }
  if (group.offer === 'after-recovery') note += ' · _after recovery_';
  return `*${escapeMrkdwn(group.id)} · ${escapeMrkdwn(group.title)}*${deadline}${note}`;
}

/**
 * One message per action group (P1, P2, …): each action with what it runs, its guard, and either
 * its Approve / Skip buttons or its current state. Re-rendered whole on every state change.
 */
export function renderActionCard(input: {
  incident: Incident;
  runbook: Runbook;
  groupId: string;
  states: ReadonlyMap<string, ActionState>;
  diagnosis: Diagnosis | undefined;
  /** Resolves targets for display (credentials never); without it, the runbook defaults are shown. */
  vars?: Variables;
}): RenderedMessage {
  const { incident, runbook, states, diagnosis } = input;
  const vars = input.vars ?? {};
  const group = runbook.groups.find((g) => g.id === input.groupId);
  const actions = runbook.actions.filter((a) => a.group === input.groupId);
  const results = new Map((diagnosis?.results ?? []).map((r) => [r.probeId, r]));
  const blocks: KnownBlock[] = [section(group ? groupTitle(group, diagnosis) : `*${input.groupId}*`)];
  actions.forEach((action, index) => {
    const state = states.get(action.id);
    const danger = action.destructive ? ' :warning: _destructive_' : '';
    const description = action.description ? `\n${escapeMrkdwn(action.description)}` : '';
    blocks.push({
      ...section(
        `*${index + 1}. ${escapeMrkdwn(action.title)}*${danger}${description}\n${runText(action, vars)}${guardText(action, results)}`,
      ),
      // A stable id per action, so tests and people can find an action's card whatever its state.
      block_id: `action-${action.id}`,
    } as KnownBlock);
    const status = statusLine(state, incident, action);
    if (status) blocks.push(context(status));
    if (state?.hosts && state.hosts.length > 0) blocks.push(context(hostsLine(state.hosts)));
    if (state?.excerpt && (state.status === 'succeeded' || state.status === 'failed')) {
      blocks.push(context(`\`${escapeMrkdwn(clip(state.excerpt.replaceAll('`', "'"), 300))}\``));
    }
    const choices = buttons(incident, action, state, vars);
    if (choices) blocks.push(choices);
  });
  return {
    text: `${group?.id ?? input.groupId} actions: ${actions.map((a) => a.title).join(', ')}`,
    blocks: blocks.slice(0, 50),
  };
}
