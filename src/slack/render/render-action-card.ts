import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { z } from 'zod';
import { evaluateCondition } from '../../diagnostics/evaluate-condition.js';
import type { ProbeResult } from '../../diagnostics/probe-result.js';
import type { Diagnosis } from '../../diagnostics/run-diagnosis.js';
import { describeStep } from '../../executors/execute-step.js';
import { redactUrlPassword } from '../../executors/redact-secrets.js';
import { openDecisions, undoApplicable } from '../../incidents/action-rules.js';
import type { ActionState } from '../../incidents/action-state.js';
import type { Requirement } from '../../incidents/approval-policy.js';
import type { Incident } from '../../incidents/incident.js';
import { interpolateForDisplay, type Variables } from '../../runbooks/interpolate.js';
import type { Action, ActionGroup, Runbook } from '../../runbooks/runbook-schema.js';
import { clip, escapeMrkdwn, type RenderedMessage, section } from './blocks.js';
import { pendingApprovals, statusElements } from './render-action-status.js';
import { placementText } from './render-host-status.js';

/** Slack's "are you sure?" dialog on a button. */
function confirmDialog(
  title: string,
  text: string,
  confirm: string,
  deny: string,
): NonNullable<Button['confirm']> {
  return {
    title: { type: 'plain_text', text: title },
    text: { type: 'mrkdwn', text: clip(text, 290) },
    confirm: { type: 'plain_text', text: confirm },
    deny: { type: 'plain_text', text: deny },
    style: 'danger',
  };
}

/** Several short lines as one context block (one element each): fewer blocks, inside Slack's 50. */
function contextOf(lines: readonly string[]): KnownBlock {
  return {
    type: 'context',
    elements: lines.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, 1900) })),
  };
}

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

/** The decisions the core would accept right now, as buttons (`action-rules.ts` decides which), and Preview. */
function buttons(
  incident: Incident,
  action: Action,
  state: ActionState | undefined,
  vars: Variables,
  context: { applicable: boolean | undefined; requirement: Requirement | undefined },
): ActionsBlock | undefined {
  const open = openDecisions(state, incident.status, { applicable: context.applicable });
  if (open.length === 0) return undefined;
  const attempts = state?.attempt ?? 0;
  const value = encodeButtonValue({ i: incident.id, a: action.id, n: attempts });
  const elements: Button[] = [];
  if (open.includes('approve')) {
    const required = context.requirement?.approvals ?? 1;
    const next = pendingApprovals(state).length + 1;
    const label = attempts > 0 ? 'Approve again' : 'Approve';
    const approve: Button = {
      type: 'button',
      action_id: `approve-${action.id}`,
      text: {
        type: 'plain_text',
        text: required > 1 ? `${label} (${Math.min(next, required)} of ${required})` : label,
      },
      style: action.destructive ? 'danger' : 'primary',
      value,
    };
    if (action.destructive) {
      approve.confirm = confirmDialog(
        'Destructive action',
        `*${escapeMrkdwn(action.title)}*\n\`${escapeMrkdwn(shownStep(action, vars))}\`\nRun it now?`,
        'Run it',
        'Cancel',
      );
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
  if (open.includes('cancel')) {
    elements.push({
      type: 'button',
      action_id: `cancel-${action.id}`,
      text: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
      value,
      confirm: confirmDialog(
        'Stop this action?',
        `*${escapeMrkdwn(action.title)}*\nIts HTTP call, connection or process is stopped now; a step cut mid-way is reported as outcome unknown.`,
        'Stop it',
        'Keep running',
      ),
    });
  }
  if (open.includes('approve')) {
    elements.push({
      type: 'button',
      action_id: `preview-${action.id}`,
      text: { type: 'plain_text', text: 'Preview' },
      value,
    });
  }
  return { type: 'actions', block_id: `act-${action.id}`, elements };
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
  /** What each action needs to run (the core's policy): "1 of 2 approvals". Without it, counts only. */
  requirement?: (action: Action) => Requirement;
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
    const applicable = undoApplicable(runbook, action.id, states);
    const requirement = input.requirement?.(action);
    const lines = statusElements({ action, runbook, state, states, incident, requirement, applicable });
    if (lines.length > 0) blocks.push(contextOf(lines));
    const choices = buttons(incident, action, state, vars, { applicable, requirement });
    if (choices) blocks.push(choices);
  });
  return {
    text: `${group?.id ?? input.groupId} actions: ${actions.map((a) => a.title).join(', ')}`,
    blocks: blocks.slice(0, 50),
  };
}
