// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../../../src/fake-slack/render-blocks.js';
import { runbookSchema } from '../../../../src/runbooks/runbook-schema.js';
import { renderChecklist } from '../../../../src/slack/render/render-checklist.js';
import { renderRecoveryLine } from '../../../../src/slack/render/render-recovery-line.js';
import type { ChecklistRecord } from '../../../../src/verification/checklist-store.js';
import { incident } from './render-fixtures.js';

const runbook = runbookSchema.parse({
  kind: '503',
  title: 'HTTP 503 error spike',
  probes: [
    { id: 'ratio', title: '503 ratio', check: { type: 'prometheus', url: '${P}', query: 'x' } },
    {
      id: 'load',
      title: 'Load test',
      check: { type: 'loadtest', url: '${U}', requests: 100, concurrency: 10 },
    },
  ],
  groups: [{ id: 'P1', title: 'Traffic' }],
  actions: [{ id: 'act', title: 'Act', group: 'P1', run: { type: 'manual', instructions: 'x' } }],
  checklist: [
    {
      id: 'check-ratio',
      title: 'HTTP 503 rate < 1 %',
      within: '5m',
      condition: { probe: 'ratio', op: '<', value: 1 },
    },
    { id: 'check-hand', title: 'Core features <by hand>', within: '5m' },
    {
      id: 'check-p99',
      title: 'Load test: 99 % within 2 s',
      within: '1h',
      condition: { probe: 'load', field: 'p99_ms', op: '<', value: 2000 },
    },
    {
      id: 'check-rps',
      title: 'Load test: > 50 req/s',
      within: '1h',
      condition: { probe: 'load', field: 'rps', op: '>', value: 50 },
    },
  ],
});

const record: ChecklistRecord = {
  mitigatedAt: '2026-11-25T10:02:00.000Z',
  results: {
    'check-ratio': { status: 'failed', at: '2026-11-25T10:07:00.000Z', evidence: ['ratio 12 % not < 1'] },
    'check-p99': { status: 'passed', at: '2026-11-25T11:02:00.000Z', evidence: ['load.p99_ms 45 < 2000'] },
    'check-rps': { status: 'unknown', at: '2026-11-25T11:02:00.000Z', evidence: ['load.rps: unknown'] },
  },
  probes: {
    load: {
      probeId: 'load',
      title: 'Load test',
      verdict: 'ok',
      detail:
        'Requests per second: 312 [#/sec] · Time per request: 31.9 ms (mean) · 99 %: 45 ms · Failed requests: 0',
      durationMs: 3200,
    },
  },
};

describe('the live recovery checklist', () => {
  it('shows each check with its value against the threshold, ✓ ✗ pending needs a person, and the ab line', () => {
    const message = renderChecklist(incident({ status: 'mitigating' }), runbook, record);
    expect(message.text).toBe('Recovery checklist of 20261125-503-k3f9: 1 of 4 checks passed');
    expect(renderBlocks(message.blocks as never)).toMatchInlineSnapshot(`
      [
        ":clipboard: *Recovery checklist* — counted from the first successful mitigation, 2026-11-25T10:02:00.000Z",
        "› Not recovered yet: every 5m check must pass.",
        "*Within 5m* — due 2026-11-25T10:07:00.000Z",
        ":x: *HTTP 503 rate < 1 %* — ratio 12 % not < 1",
        ":raising_hand: needs a person *Core features <by hand>*  [Mark done]",
        "*Within 1h* — due 2026-11-25T11:02:00.000Z",
        ":white_check_mark: *Load test: 99 % within 2 s* — load.p99_ms 45 < 2000",
        ":grey_question: unknown *Load test: > 50 req/s* — load.rps: unknown",
        "› :stopwatch: Requests per second: 312 [#/sec] · Time per request: 31.9 ms (mean) · 99 %: 45 ms · Failed requests: 0 — expected: 99 % within 2 s · > 50 req/s",
        "[Verify now]",
      ]
    `);
    const buttons = JSON.stringify(message.blocks);
    expect(buttons).toContain('"action_id":"tick-check-check-hand"');
    expect(buttons).toContain('"action_id":"verify-checks"');
  });

  it('says when it recovered, and has no buttons once the incident is resolved', () => {
    const message = renderChecklist(incident({ status: 'resolved' }), runbook, {
      ...record,
      recoveredAt: '2026-11-25T10:09:00.000Z',
    });
    expect(JSON.stringify(message.blocks)).not.toContain('action_id');
    expect(message.text).toBe('Recovery checklist of 20261125-503-k3f9: 1 of 4 checks passed, recovered');
  });

  it('a failure after recovery is loud; a pinned message keeps its author', () => {
    const entry = {
      seq: 3,
      at: '2026-11-25T10:20:00.000Z',
      type: 'checklist.regressed' as const,
      results: [{ checkId: 'check-ratio', status: 'failed' as const, evidence: ['ratio 12 % not < 1'] }],
    };
    expect(renderRecoveryLine(entry, runbook)).toBe(
      ':rotating_light: *A check failed after recovery* — look again before resolving:\n• *HTTP 503 rate &lt; 1 %*: ratio 12 % not &lt; 1',
    );
    const pinned = {
      seq: 4,
      at: entry.at,
      type: 'message.pinned' as const,
      text: 'checkout <fails>',
      markedBy: 'U0BOB00002',
      actor: 'U0CAROL003',
      via: 'slack' as const,
    };
    expect(renderRecoveryLine(pinned, runbook)).toBe(
      ':pushpin: <@U0CAROL003> (pinned by <@U0BOB00002>): checkout &lt;fails&gt;',
    );
  });
});
