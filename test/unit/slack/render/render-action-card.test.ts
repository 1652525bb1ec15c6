import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { ActionState } from '../../../../src/incidents/action-state.js';
import type { Incident } from '../../../../src/incidents/incident.js';
import type { RenderedMessage } from '../../../../src/slack/render/blocks.js';
import {
  decodeButtonValue,
  encodeButtonValue,
  renderActionCard,
} from '../../../../src/slack/render/render-action-card.js';
import { diagnosis, incident, result, runbook, state, states } from './render-fixtures.js';

const DECIDED = {
  decidedBy: 'U0BOB00002',
  decidedVia: 'slack' as const,
  decidedAt: '2026-11-25T02:01:00.000Z',
};

function card(
  groupId: string,
  list: ActionState[] = [],
  options: { incident?: Incident } = {},
): RenderedMessage {
  return renderActionCard({
    incident: options.incident ?? incident(),
    runbook: runbook(),
    groupId,
    states: states(...list),
    diagnosis: diagnosis(),
  });
}

/** One action's part of a card, as text: its status lines and its buttons, without the runbook text. */
function actionView(message: RenderedMessage, actionId: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const block of message.blocks as Array<KnownBlock & Record<string, unknown>>) {
    if (block.type === 'section') inside = block.block_id === `action-${actionId}`;
    else if (inside && block.type === 'context') {
      out.push(`context: ${(block.elements as Array<{ text: string }>).map((e) => e.text).join(' ')}`);
    } else if (inside && block.type === 'actions') {
      for (const b of block.elements as unknown as Array<Record<string, unknown>>) {
        const text = (b.text as { text: string }).text;
        out.push(
          `button ${b.action_id} "${text}"${b.style ? ` ${b.style}` : ''} value=${b.value}${b.confirm ? ' +confirm' : ''}`,
        );
      }
    }
  }
  return out;
}

describe('renderActionCard', () => {
  it('offers each action of a group with what it runs, Approve and Skip', () => {
    expect(card('P1')).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*P1 · Traffic control* — within 30s",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "action-p1-rate-limit",
            "text": {
              "text": "*1. Emergency rate limit*
      Caps requests at 100/min.
      \`POST http://localhost:8002/api/admin/rate-limit/emergency\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "act-p1-rate-limit",
            "elements": [
              {
                "action_id": "approve-p1-rate-limit",
                "style": "primary",
                "text": {
                  "text": "Approve",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
              },
              {
                "action_id": "skip-p1-rate-limit",
                "text": {
                  "text": "Skip",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
              },
              {
                "action_id": "preview-p1-rate-limit",
                "text": {
                  "text": "Preview",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
              },
            ],
            "type": "actions",
          },
          {
            "block_id": "action-p1-breaker",
            "text": {
              "text": "*2. Circuit breaker on &lt;batch&gt; &amp; search*
      \`POST http://localhost:8002/api/admin/circuit-breaker/enable\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "act-p1-breaker",
            "elements": [
              {
                "action_id": "approve-p1-breaker",
                "style": "primary",
                "text": {
                  "text": "Approve",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-breaker","n":0}",
              },
              {
                "action_id": "skip-p1-breaker",
                "text": {
                  "text": "Skip",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-breaker","n":0}",
              },
              {
                "action_id": "preview-p1-breaker",
                "text": {
                  "text": "Preview",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"p1-breaker","n":0}",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "P1 actions: Emergency rate limit, Circuit breaker on <batch> & search",
      }
    `);
  });

  it('shows the state of an action through its life', () => {
    const id = 'p1-rate-limit';
    const views = {
      offered: actionView(card('P1', [state(id)]), id),
      queued: actionView(card('P1', [state(id, { status: 'queued', attempt: 1, ...DECIDED })]), id),
      running: actionView(card('P1', [state(id, { status: 'running', attempt: 1, ...DECIDED })]), id),
      succeeded: actionView(
        card('P1', [
          state(id, {
            status: 'succeeded',
            attempt: 1,
            ...DECIDED,
            summary: 'POST localhost:8002/api/admin/rate-limit/emergency → 200 in 42 ms',
            excerpt: '{"ok":true,"limit":"`100`/min <x>"}',
          }),
        ]),
        id,
      ),
      failed: actionView(
        card('P1', [
          state(id, {
            status: 'failed',
            attempt: 1,
            ...DECIDED,
            summary: 'POST localhost:8002/api/admin/rate-limit/emergency → 500 in 9 ms',
            excerpt: 'worker pool exhausted',
          }),
        ]),
        id,
      ),
      secondAttemptRunning: actionView(
        card('P1', [state(id, { status: 'running', attempt: 2, ...DECIDED })]),
        id,
      ),
      skipped: actionView(card('P1', [state(id, { status: 'skipped', ...DECIDED })]), id),
    };
    expect(views).toMatchInlineSnapshot(`
      {
        "failed": [
          "context: :x: *failed* — POST localhost:8002/api/admin/rate-limit/emergency → 500 in 9 ms · approved by <@U0BOB00002> \`worker pool exhausted\`",
          "button approve-p1-rate-limit "Approve again" primary value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":1}",
          "button preview-p1-rate-limit "Preview" value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":1}",
        ],
        "offered": [
          "button approve-p1-rate-limit "Approve" primary value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
          "button skip-p1-rate-limit "Skip" value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
          "button preview-p1-rate-limit "Preview" value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":0}",
        ],
        "queued": [
          "context: :hourglass_flowing_sand: *queued* — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
          "button cancel-p1-rate-limit "Cancel" danger value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":1} +confirm",
        ],
        "running": [
          "context: :arrow_forward: *running* — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
          "button cancel-p1-rate-limit "Cancel" danger value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":1} +confirm",
        ],
        "secondAttemptRunning": [
          "context: :arrow_forward: *running* (attempt 2) — approved by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
          "button cancel-p1-rate-limit "Cancel" danger value={"i":"20261125-503-k3f9","a":"p1-rate-limit","n":2} +confirm",
        ],
        "skipped": [
          "context: :fast_forward: *skipped* by <@U0BOB00002> <!date^1795572060^{date_short_pretty} {time_secs}|2026-11-25T02:01:00.000Z>",
        ],
        "succeeded": [
          "context: :white_check_mark: *succeeded* — POST localhost:8002/api/admin/rate-limit/emergency → 200 in 42 ms · approved by <@U0BOB00002> \`{"ok":true,"limit":"'100'/min &lt;x&gt;"}\`",
        ],
      }
    `);
  });

  it('takes every button away once the incident is resolved', () => {
    const resolved = incident({ status: 'resolved' });
    const message = card('P1', [state('p1-rate-limit', { status: 'failed', attempt: 1, summary: 'x' })], {
      incident: resolved,
    });
    expect(message.blocks.filter((b) => b.type === 'actions')).toEqual([]);
    expect({
      failed: actionView(message, 'p1-rate-limit'),
      neverDecided: actionView(message, 'p1-breaker'),
    }).toMatchInlineSnapshot(`
      {
        "failed": [
          "context: :x: *failed* — x · approved",
        ],
        "neverDecided": [
          "context: :lock: not run — incident resolved",
        ],
      }
    `);
  });

  it('shows no buttons while the incident is still opening', () => {
    const message = card('P1', [], { incident: incident({ status: 'opening' }) });
    expect(message.blocks.filter((b) => b.type === 'actions')).toEqual([]);
  });

  it('asks to confirm a destructive action and shows its guard from the diagnosis', () => {
    expect(card('S1')).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "*S1 · Free memory* · not indicated by the diagnosis",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "action-s1-flush-temp",
            "text": {
              "text": "*1. Flush temporary keys* :warning: _destructive_
      \`redis \${TARGET_REDIS_URL} db 1: FLUSHDB\`
      :white_circle: guard not met: host-memory 81.3 % not ≥ 85",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "act-s1-flush-temp",
            "elements": [
              {
                "action_id": "approve-s1-flush-temp",
                "confirm": {
                  "confirm": {
                    "text": "Run it",
                    "type": "plain_text",
                  },
                  "deny": {
                    "text": "Cancel",
                    "type": "plain_text",
                  },
                  "style": "danger",
                  "text": {
                    "text": "*Flush temporary keys*
      \`redis \${TARGET_REDIS_URL} db 1: FLUSHDB\`
      Run it now?",
                    "type": "mrkdwn",
                  },
                  "title": {
                    "text": "Destructive action",
                    "type": "plain_text",
                  },
                },
                "style": "danger",
                "text": {
                  "text": "Approve",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"s1-flush-temp","n":0}",
              },
              {
                "action_id": "skip-s1-flush-temp",
                "text": {
                  "text": "Skip",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"s1-flush-temp","n":0}",
              },
              {
                "action_id": "preview-s1-flush-temp",
                "text": {
                  "text": "Preview",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"i":"20261125-503-k3f9","a":"s1-flush-temp","n":0}",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "S1 actions: Flush temporary keys",
      }
    `);
  });

  it('says whether the guard is met, not met or unknown', () => {
    const guardOf = (memory: number | undefined) => {
      const d = diagnosis({
        results: [
          result({
            probeId: 'host-memory',
            title: 'Memory',
            verdict: memory === undefined ? 'unknown' : 'warn',
            ...(memory === undefined ? {} : { value: memory, unit: '%' }),
          }),
        ],
      });
      const message = renderActionCard({
        incident: incident(),
        runbook: runbook(),
        groupId: 'S1',
        states: new Map(),
        diagnosis: d,
      });
      const section = message.blocks.find((b) => b.block_id === 'action-s1-flush-temp') as {
        text: { text: string };
      };
      return section.text.text.split('\n').at(-1);
    };
    expect([guardOf(91), guardOf(40), guardOf(undefined)]).toMatchInlineSnapshot(`
      [
        ":ballot_box_with_check: guard met: host-memory 91 % ≥ 85",
        ":white_circle: guard not met: host-memory 40 % not ≥ 85",
        ":grey_question: guard unknown: host-memory: unknown",
      ]
    `);
  });

  it('marks groups the diagnosis did not indicate, and after-recovery groups', () => {
    const title = (groupId: string) => (card(groupId).blocks[0] as { text: { text: string } }).text.text;
    expect([title('S1'), title('N')]).toMatchInlineSnapshot(`
      [
        "*S1 · Free memory* · not indicated by the diagnosis",
        "*N · Normalize* · _after recovery_",
      ]
    `);
  });
});

describe('button values', () => {
  it('round-trip', () => {
    const value = { i: '20261125-503-k3f9', a: 'p1-rate-limit', n: 2 };
    expect(decodeButtonValue(encodeButtonValue(value))).toEqual(value);
  });

  it.each([
    undefined,
    '',
    'approve',
    'null',
    '42',
    '[]',
    '{}',
    '{"i":"x","a":"y"}',
    '{"i":"x","a":"y","n":"1"}',
    '{"i":"x","a":"y","n":1.5}',
    '{"i":"x","a":"y","n":-1}',
    '{"i":"","a":"y","n":0}',
    '{"i":"x","a":"","n":0}',
    '{"i":1,"a":"y","n":0}',
    '{"i":"x:y","a":"y","n":0}',
    `{"i":"${'x'.repeat(300)}","a":"y","n":0}`,
  ])('rejects %j', (raw) => {
    expect(decodeButtonValue(raw)).toBeUndefined();
  });

  it('keeps only the fields it knows', () => {
    expect(decodeButtonValue('{"i":"inc-1","a":"act","n":0,"admin":true}')).toEqual({
      i: 'inc-1',
      a: 'act',
      n: 0,
    });
  });
});

describe('renderActionCard with the environment', () => {
  it('shows the targets the actions will reach, never a credential or a URL password', () => {
    const message = renderActionCard({
      incident: incident(),
      runbook: runbook(),
      groupId: 'P1',
      states: states(),
      diagnosis: diagnosis(),
      vars: { GENERATION_SERVICE_URL: 'http://gen.prod.internal:8002', ADMIN_TOKEN: 'admin-secret-value' },
    });
    const text = JSON.stringify(message);
    expect(text).toContain('POST http://gen.prod.internal:8002/api/admin/rate-limit/emergency');
    expect(text).not.toContain('admin-secret-value');
  });

  it('hides the password of a Redis target', () => {
    const p3 = runbook().groups.find((g) =>
      runbook().actions.some((a) => a.group === g.id && a.run.type === 'redis'),
    );
    const message = renderActionCard({
      incident: incident(),
      runbook: runbook(),
      groupId: p3?.id as string,
      states: states(),
      diagnosis: diagnosis(),
      vars: { TARGET_REDIS_URL: 'redis://:hunter2-password@cache.prod:6379' },
    });
    const text = JSON.stringify(message);
    expect(text).toContain('cache.prod:6379');
    expect(text).not.toContain('hunter2-password');
  });
});
