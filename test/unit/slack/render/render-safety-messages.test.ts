import { describe, expect, it } from 'vitest';
import {
  renderDecisionAnswer,
  renderPreviewAnswer,
} from '../../../../src/slack/render/render-decision-answer.js';
import { renderEscalationNotice } from '../../../../src/slack/render/render-escalation-notice.js';
import {
  parseOverrideMetadata,
  renderOverrideModal,
} from '../../../../src/slack/render/render-override-modal.js';
import { renderTimelineLine } from '../../../../src/slack/render/render-timeline-entry.js';
import type { TimelineEntry, TimelineEvent } from '../../../../src/timeline/timeline-entry.js';
import { incident, runbook } from './render-fixtures.js';

const entry = (event: TimelineEvent, actor?: string): TimelineEntry => ({
  seq: 7,
  at: '2026-11-25T02:01:00.000Z',
  ...(actor ? { actor, via: 'slack' as const } : {}),
  ...event,
});
const line = (event: TimelineEvent, actor?: string) =>
  renderTimelineLine(entry(event, actor), incident(), runbook());
const ask = { users: ['U0ALICE001'], groups: ['S0ONCALL01'] };
const button = { incidentId: '20261125-503-k3f9', actionId: 's1-flush-temp', seenAttempts: 0 };
const escalation: TimelineEvent = {
  type: 'deadline.escalated',
  groupId: 'P1',
  actionIds: ['p1-rate-limit'],
  deadline: '30s',
  ask,
  commander: { id: 'U0ALICE001', via: 'slack' },
};

describe('the thread lines of acting safely', () => {
  it('says who approved how many, who was refused what, what waits, what was read, what is overdue', () => {
    expect({
      approval: line(
        { type: 'action.approval', actionId: 's1-flush-temp', count: 1, required: 2 },
        'U0BOB00002',
      ),
      requesterAlone: line(
        { type: 'action.approval', actionId: 's1-flush-temp', count: 1, required: 1, needsOther: true },
        'U0ALICE001',
      ),
      twoApproved: line(
        {
          type: 'action.decided',
          actionId: 's1-flush-temp',
          status: 'queued',
          approvedBy: ['U0ALICE001', 'U0BOB00002'],
        },
        'U0BOB00002',
      ),
      overridden: line(
        {
          type: 'guard.overridden',
          actionId: 's1-flush-temp',
          reason: 'probe reads <the wrong host>',
          evidence: ['host-memory 12 % not ≥ 85'],
        },
        'U0BOB00002',
      ),
      refused: line(
        {
          type: 'decision.refused',
          decision: 'skip',
          actionId: 'p1-rate-limit',
          code: 'not-approver',
          reason: 'x',
          ask,
        },
        'U0MALLORY1',
      ),
      refusedResolve: line(
        { type: 'decision.refused', decision: 'force-resolve', code: 'not-approver', reason: 'x', ask },
        'U0MALLORY1',
      ),
      waiting: line({
        type: 'action.waiting',
        actionId: 'p1-breaker',
        target: 'openai-circuit-breaker',
        blockedBy: { incidentId: '20261125-503-other', actionId: 'x', title: 'Staged release' },
      }),
      cancelAsked: line({ type: 'action.cancel-requested', actionId: 'p1-rate-limit' }, 'U0BOB00002'),
      cancelled: line(
        {
          type: 'action.finished',
          actionId: 'p1-rate-limit',
          status: 'cancelled',
          summary: 'cancelled before it started: nothing ran',
        },
        'U0BOB00002',
      ),
      captured: line({
        type: 'action.captured',
        actionId: 's1-flush-temp',
        values: { PREVIOUS_MAXMEMORY: '1073741824' },
      }),
      reminder: line({
        type: 'deadline.reminder',
        groupId: 'P1',
        actionIds: ['p1-rate-limit'],
        deadline: '30s',
        ask,
      }),
      reminderToAnyone: line({
        type: 'deadline.reminder',
        groupId: 'P1',
        actionIds: ['p1-rate-limit', 'p1-breaker'],
        deadline: '30s',
        ask: { users: [], groups: [] },
      }),
      escalated: line(escalation),
    }).toMatchInlineSnapshot(`
      {
        "approval": ":ballot_box_with_check: <@U0BOB00002> approved *S1 · Flush temporary keys* — 1 of 2 approvals",
        "cancelAsked": ":octagonal_sign: <@U0BOB00002> asked to cancel *P1 · Emergency rate limit*",
        "cancelled": ":octagonal_sign: *P1 · Emergency rate limit* cancelled before it started: nothing ran (by <@U0BOB00002>)",
        "captured": ":floppy_disk: *S1 · Flush temporary keys* read what it changes first: \`PREVIOUS_MAXMEMORY\` = \`1073741824\` (its undo restores it)",
        "escalated": ":rotating_light: *Escalation:* *P1 · Traffic control* is still undecided a 30s deadline after its reminder: Emergency rate limit. Commander <@U0ALICE001>; approvers <@U0ALICE001>, <!subteam^S0ONCALL01>.",
        "overridden": ":warning: <@U0BOB00002> approved *S1 · Flush temporary keys* *anyway*, although its guard failed (host-memory 12 % not ≥ 85). Reason: probe reads &lt;the wrong host&gt;",
        "refused": ":no_entry: <@U0MALLORY1> tried to skip *P1 · Emergency rate limit*: refused — not an approver for this",
        "refusedResolve": ":no_entry: <@U0MALLORY1> tried to force-resolve the incident: refused — not an approver for this",
        "reminder": ":alarm_clock: *P1 · Traffic control* is past its 30s deadline, undecided: Emergency rate limit. <@U0ALICE001>, <!subteam^S0ONCALL01>: please decide.",
        "reminderToAnyone": ":alarm_clock: *P1 · Traffic control* is past its 30s deadline, undecided: Emergency rate limit, Circuit breaker on &lt;batch&gt; &amp; search. Anyone in this channel may decide.",
        "requesterAlone": ":ballot_box_with_check: <@U0ALICE001> approved *S1 · Flush temporary keys* — 1 of 1 approvals — it also needs someone other than the person who opened the incident",
        "twoApproved": ":+1: <@U0BOB00002> approved *S1 · Flush temporary keys* — queued (approved by <@U0ALICE001>, <@U0BOB00002>)",
        "waiting": ":hourglass_flowing_sand: *P1 · Circuit breaker on &lt;batch&gt; &amp; search* waits for *Staged release* of incident 20261125-503-other (same target \`openai-circuit-breaker\`)",
      }
    `);
  });

  it('tells the announce channel about an escalation, with the incident channel to join', () => {
    const escalated = entry(escalation) as Extract<TimelineEntry, { type: 'deadline.escalated' }>;
    expect(renderEscalationNotice(incident(), runbook(), escalated, 'C0INC00001').text).toMatchInlineSnapshot(
      `":rotating_light: *Escalation* — incident *20261125-503-k3f9* (HTTP 503 error spike) in <#C0INC00001>: *P1 · Traffic control* has 1 action(s) undecided twice past its 30s deadline. Commander <@U0ALICE001>."`,
    );
  });
});

describe('what the clicker alone is told', () => {
  it('offers "Approve anyway…" with a guard refusal only, carrying the button it came from', () => {
    const guard = renderDecisionAnswer(
      {
        kind: 'refused',
        refusal: {
          code: 'guard-failed',
          actionId: 's1-flush-temp',
          met: false,
          evidence: ['host-memory 12 % not ≥ 85'],
        },
      },
      button,
    );
    expect(guard?.text).toBe(
      ':no_entry: Not done: its guard is *not met* on fresh values: host-memory 12 % not ≥ 85.',
    );
    expect(JSON.stringify(guard?.blocks)).toContain('"action_id":"override-s1-flush-temp"');
    expect(JSON.stringify(guard?.blocks)).toContain(
      '{\\"i\\":\\"20261125-503-k3f9\\",\\"a\\":\\"s1-flush-temp\\",\\"n\\":0}',
    );
    const other = renderDecisionAnswer(
      {
        kind: 'refused',
        refusal: { code: 'nothing-to-undo', actionId: 'n-restore-limit', undoes: ['Rate limit'] },
      },
      button,
    );
    expect(other).toEqual({
      text: ':no_entry: Not done: nothing to undo yet: Rate limit has not succeeded.',
    });
  });

  it('answers a second approval by the same person, and a preview', () => {
    expect(
      renderDecisionAnswer(
        { kind: 'already-approved', state: { actionId: 'a', groupId: 'P1', status: 'offered' } },
        button,
      )?.text,
    ).toContain('You already approved this');
    const preview = renderPreviewAnswer({
      kind: 'preview',
      title: 'Flush <temp>',
      text: 'redis redis://x db 1: FLUSHDB',
      dryRun: true,
    });
    expect(preview.text).toBe('Preview of Flush <temp> — DRY RUN: approving it changes nothing');
    expect(JSON.stringify(preview.blocks)).toContain('Flush &lt;temp&gt;');
  });

  it('carries only a well-formed button and channel through the modal', () => {
    const metadata = { i: '20261125-503-k3f9', a: 's1-flush-temp', n: 1, c: 'C0INC00001' };
    const modal = renderOverrideModal({ title: 'Flush', metadata });
    expect(parseOverrideMetadata(modal.private_metadata ?? '')).toEqual(metadata);
    for (const raw of [
      '',
      'null',
      '{"i":"x","a":"y","n":0}',
      '{"i":"x:y","a":"y","n":0,"c":"C1"}',
      '{"i":"x","a":"y","n":0,"c":"c1"}',
    ]) {
      expect(parseOverrideMetadata(raw), raw).toBeUndefined();
    }
  });
});
