import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { ActionState } from '../../../../src/incidents/action-state.js';
import type { Requirement } from '../../../../src/incidents/approval-policy.js';
import { type Runbook, runbookSchema } from '../../../../src/runbooks/runbook-schema.js';
import { renderActionCard } from '../../../../src/slack/render/render-action-card.js';
import { diagnosis, incident, state, states } from './render-fixtures.js';

const AT = '2026-11-25T02:01:00.000Z';
const approval = (by: string, round = 1) => ({ by, via: 'slack' as const, at: AT, round });

function runbook(): Runbook {
  const http = (path: string) => ({ type: 'http', method: 'POST', url: `http://localhost:8002${path}` });
  return runbookSchema.parse({
    kind: '503',
    title: 'HTTP 503 error spike',
    probes: [{ id: 'p', title: 'P', check: { type: 'host', metric: 'cpu' } }],
    groups: [
      { id: 'P1', title: 'Traffic control', deadline: '30s' },
      { id: 'N', title: 'Normalize', offer: 'after-recovery' },
    ],
    actions: [
      { id: 'limit', title: 'Rate limit', group: 'P1', run: http('/limit'), undo: 'restore' },
      { id: 'restart', title: 'Restart', group: 'P1', destructive: true, run: http('/restart') },
      { id: 'restore', title: 'Restore the limit', group: 'N', run: http('/restore') },
    ],
  });
}

const requirements: Record<string, Requirement> = {
  limit: { approvers: { users: [], groups: [] }, approvals: 1 },
  restart: { approvers: { users: [], groups: [] }, approvals: 2, otherThan: 'U0ALICE001' },
  restore: { approvers: { users: [], groups: [] }, approvals: 1 },
};

/** One action's status lines and buttons, as a person reads them. */
function view(groupId: string, actionId: string, list: ActionState[]): string[] {
  const message = renderActionCard({
    incident: incident(),
    runbook: runbook(),
    groupId,
    states: states(...list),
    diagnosis: diagnosis(),
    requirement: (action) => requirements[action.id] as Requirement,
  });
  const out: string[] = [];
  let inside = false;
  for (const block of message.blocks as Array<KnownBlock & Record<string, unknown>>) {
    if (block.type === 'section') inside = block.block_id === `action-${actionId}`;
    else if (inside && block.type === 'context') {
      for (const e of block.elements as Array<{ text: string }>) out.push(e.text);
    } else if (inside && block.type === 'actions') {
      const buttons = block.elements as unknown as Array<{ action_id: string; text: { text: string } }>;
      out.push(buttons.map((b) => `[${b.text.text}]`).join(' '));
    }
  }
  return out;
}

describe('an action card, acting safely', () => {
  it('counts approvals against what the policy asks, and says when the requester alone is not enough', () => {
    expect({
      offered: view('P1', 'restart', []),
      oneOfTwo: view('P1', 'restart', [state('restart', { approvals: [approval('U0DANA0003')] })]),
      requesterOnly: view('P1', 'restart', [state('restart', { approvals: [approval('U0ALICE001')] })]),
      // A failed first attempt's approvals do not count for the second.
      secondAttempt: view('P1', 'restart', [
        state('restart', {
          status: 'failed',
          attempt: 1,
          summary: 'HTTP 500',
          approvals: [approval('U0BOB00002')],
        }),
      ]),
    }).toMatchInlineSnapshot(`
      {
        "offered": [
          ":busts_in_silhouette: needs 2 approvals from different people",
          "[Approve (1 of 2)] [Skip] [Preview]",
        ],
        "oneOfTwo": [
          ":ballot_box_with_check: 1 of 2 approvals: <@U0DANA0003>",
          "[Approve (2 of 2)] [Skip] [Preview]",
        ],
        "requesterOnly": [
          ":ballot_box_with_check: 1 of 2 approvals: <@U0ALICE001> — needs an approval from someone other than <@U0ALICE001>, who opened the incident",
          "[Approve (2 of 2)] [Skip] [Preview]",
        ],
        "secondAttempt": [
          ":x: *failed* — HTTP 500 · approved",
          ":busts_in_silhouette: needs 2 approvals from different people",
          "[Approve again (1 of 2)] [Preview]",
        ],
      }
    `);
  });

  it('marks an action overdue, then escalated, while it stays undecided', () => {
    expect({
      overdue: view('P1', 'limit', [state('limit', { overdueAt: AT })]),
      escalated: view('P1', 'limit', [state('limit', { overdueAt: AT, escalatedAt: AT })]),
      decidedInTheEnd: view('P1', 'limit', [
        state('limit', { status: 'skipped', overdueAt: AT, decidedBy: 'U0BOB00002', decidedVia: 'slack' }),
      ]),
    }).toMatchInlineSnapshot(`
      {
        "decidedInTheEnd": [
          ":fast_forward: *skipped* by <@U0BOB00002>",
        ],
        "escalated": [
          ":rotating_light: *overdue — escalated* <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
          "[Approve] [Skip] [Preview]",
        ],
        "overdue": [
          ":alarm_clock: *overdue* since <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
          "[Approve] [Skip] [Preview]",
        ],
      }
    `);
  });

  it('shows what a queued action waits for, offers Cancel while it is queued or running, and how a cancel ended', () => {
    const waitingFor = {
      incidentId: '20261125-503-k3f9',
      actionId: 'restart',
      title: 'Restart',
      target: 'localhost:8002',
    };
    expect({
      waiting: view('P1', 'limit', [state('limit', { status: 'queued', attempt: 1, waitingFor })]),
      stopping: view('P1', 'limit', [
        state('limit', {
          status: 'running',
          attempt: 1,
          cancelRequestedBy: 'U0BOB00002',
          cancelRequestedVia: 'slack',
        }),
      ]),
      cancelled: view('P1', 'limit', [
        state('limit', {
          status: 'cancelled',
          attempt: 1,
          cancelRequestedBy: 'U0BOB00002',
          cancelRequestedVia: 'slack',
          summary: 'cancelled after 2 of 3 steps; step 3/3 (POST x) was cut mid-way: its outcome is unknown',
        }),
      ]),
    }).toMatchInlineSnapshot(`
      {
        "cancelled": [
          ":octagonal_sign: *cancelled* by <@U0BOB00002> after 2 of 3 steps; step 3/3 (POST x) was cut mid-way: its outcome is unknown",
          "[Approve again] [Preview]",
        ],
        "stopping": [
          ":arrow_forward: *running* — approved",
          ":octagonal_sign: stopping — cancel asked by <@U0BOB00002>",
          "[Cancel]",
        ],
        "waiting": [
          ":hourglass_flowing_sand: *queued* — approved",
          ":double_vertical_bar: waiting for: *Restart* — same target \`localhost:8002\`",
          "[Cancel]",
        ],
      }
    `);
  });

  it('offers an undo only once its action succeeded, and says what it read before the change', () => {
    const applied = state('limit', {
      status: 'succeeded',
      attempt: 1,
      summary: 'POST localhost:8002/limit → 200',
      captured: { PREVIOUS_LIMIT: '1000' },
    });
    expect({
      before: view('N', 'restore', []),
      after: view('N', 'restore', [applied]),
      applied: view('P1', 'limit', [applied]),
      dryRun: view('P1', 'limit', [
        state('limit', {
          status: 'succeeded',
          attempt: 1,
          dryRun: true,
          summary: 'dry run: nothing was changed',
        }),
      ]),
    }).toMatchInlineSnapshot(`
      {
        "after": [
          "[Approve] [Skip] [Preview]",
        ],
        "applied": [
          ":white_check_mark: *succeeded* — POST localhost:8002/limit → 200 · approved",
          ":floppy_disk: read before the change: PREVIOUS_LIMIT = \`1000\`",
        ],
        "before": [
          ":lock: offered once *Rate limit* has succeeded: nothing to undo yet",
        ],
        "dryRun": [
          ":test_tube: *dry run* — dry run: nothing was changed · approved",
        ],
      }
    `);
  });
});
