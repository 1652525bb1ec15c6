import { describe, expect, it } from 'vitest';
import { renderTimelineLine } from '../../../../src/slack/render/render-timeline-entry.js';
import type { TimelineEntry, TimelineEvent } from '../../../../src/timeline/timeline-entry.js';
import { incident, runbook } from './render-fixtures.js';

function entry(event: TimelineEvent, actor?: string): TimelineEntry {
  return {
    seq: 3,
    at: '2026-11-25T02:01:00.000Z',
    ...(actor ? { actor, via: 'slack' as const } : {}),
    ...event,
  };
}

const line = (event: TimelineEvent, actor?: string) =>
  renderTimelineLine(entry(event, actor), incident(), runbook());

describe('renderTimelineLine', () => {
  it('renders each kind of entry as one line', () => {
    expect({
      opened: line({ type: 'incident.opened', summary: 'checkout <down>' }, 'U0ALICE001'),
      openedWithoutSummary: line({ type: 'incident.opened', summary: '' }, 'U0ALICE001'),
      approved: line({ type: 'action.decided', actionId: 'p1-rate-limit', status: 'queued' }, 'U0BOB00002'),
      skipped: line({ type: 'action.decided', actionId: 'p1-breaker', status: 'skipped' }, 'U0BOB00002'),
      started: line({ type: 'action.started', actionId: 'p1-rate-limit' }),
      succeeded: line({ type: 'action.finished', actionId: 'p1-rate-limit', status: 'succeeded' }),
      failed: line({ type: 'action.finished', actionId: 's1-flush-temp', status: 'failed' }),
      unknownAction: line({ type: 'action.started', actionId: 'gone-from-runbook' }),
      status: line({ type: 'incident.status', from: 'investigating', to: 'mitigating' }),
      resolved: line({ type: 'incident.status', from: 'mitigating', to: 'resolved' }, 'U0BOB00002'),
      note: line({ type: 'note', text: 'rolled back <deploy> & waited' }, 'U0ALICE001'),
    }).toMatchInlineSnapshot(`
      {
        "approved": ":+1: <@U0BOB00002> approved *P1 · Emergency rate limit* — queued",
        "failed": ":x: *S1 · Flush temporary keys* failed",
        "note": ":memo: <@U0ALICE001>: rolled back &lt;deploy&gt; &amp; waited",
        "opened": ":rotating_light: <@U0ALICE001> opened incident *20261125-503-k3f9* — HTTP 503 error spike: checkout &lt;down&gt;",
        "openedWithoutSummary": ":rotating_light: <@U0ALICE001> opened incident *20261125-503-k3f9* — HTTP 503 error spike",
        "resolved": ":white_check_mark: <@U0BOB00002> resolved incident *20261125-503-k3f9*. Thanks, everyone.",
        "skipped": ":fast_forward: <@U0BOB00002> skipped *P1 · Circuit breaker on &lt;batch&gt; &amp; search*",
        "started": ":arrow_forward: Running *P1 · Emergency rate limit*",
        "status": "Status: investigating → *mitigating*",
        "succeeded": ":white_check_mark: *P1 · Emergency rate limit* succeeded",
        "unknownAction": ":arrow_forward: Running \`gone-from-runbook\`",
      }
    `);
  });

  it('has no line for entries rendered as their own message', () => {
    expect(line({ type: 'diagnosis.completed' })).toBeUndefined();
    expect(line({ type: 'actions.offered', groupId: 'P1' })).toBeUndefined();
  });
});
