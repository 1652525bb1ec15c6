import { describe, expect, it } from 'vitest';
import { firstRise, peakOf } from '../../../src/postmortem/find-occurred.js';
import { cell, humanDuration } from '../../../src/postmortem/markdown.js';
import { mrkdwnToPlain } from '../../../src/slack/render/mrkdwn-to-plain.js';
import { renderHeader } from '../../../src/slack/render/render-header.js';
import { incident } from '../slack/render/render-fixtures.js';

describe('postmortem parts', () => {
  it('finds the start of the last rise above the line, ignoring an earlier blip', () => {
    const points: [number, number][] = [
      [0, 0],
      [15, 3],
      [30, 0],
      [45, 2],
      [60, 30],
      [75, 42],
      [90, 30],
    ];
    expect(firstRise(points, 1)).toBe(45);
    expect(firstRise(points, 50)).toBeUndefined();
    expect(peakOf(points)).toEqual({ value: 42, at: 75 });
    expect(peakOf([])).toBeUndefined();
    // Already falling when the alert came: the rise before it still counts.
    expect(
      firstRise(
        [
          [0, 0],
          [15, 9],
          [30, 0.5],
        ],
        1,
      ),
    ).toBe(15);
  });

  it('words durations as people quote them, and keeps table cells on one line', () => {
    expect([45, 70, 600, 3725, 90_000, undefined].map(humanDuration)).toEqual([
      '45 s',
      '1 min 10 s',
      '10 min',
      '1 h 2 min',
      '1 d 1 h',
      '—',
    ]);
    expect(cell('a | b\nc')).toBe('a \\| b c');
  });

  it('turns a Slack message into plain text for the timeline', () => {
    expect(
      mrkdwnToPlain('<@U0ALICE001> see <#C0INC0001|inc-503> and <https://x.example|the graph> &amp; <!here>'),
    ).toBe('@U0ALICE001 see #inc-503 and the graph (https://x.example) & @here');
  });

  it('the header shows the recovered time once there is one', () => {
    const fields = (recoveredAt?: string) =>
      JSON.stringify(renderHeader(incident(), [], recoveredAt ? { recoveredAt } : {}).blocks);
    expect(fields()).not.toContain('*Recovered*');
    expect(fields('2026-11-25T10:09:00.000Z')).toContain('*Recovered*\\n<!date^1795601340^');
  });
});

describe('the postmortem timeline of an alert-opened incident', () => {
  it('starts at the alert, lists its news, and leaves repeats out', async () => {
    const { timelineRows } = await import('../../../src/postmortem/render-timeline-rows.js');
    const at = '2026-11-25T10:02:00.000Z';
    const rows = timelineRows({
      incident: {
        ...incident(),
        openedBy: 'HTTP503ErrorSpike',
        openedVia: 'alertmanager',
        alertedAt: '2026-11-25T10:01:00.000Z',
      },
      runbook: undefined,
      generatedAt: at,
      milestones: { alertedAt: '2026-11-25T10:01:00.000Z', occurredFrom: 'unknown' },
      timeline: [
        {
          seq: 0,
          at,
          type: 'alert.firing',
          alertname: 'HTTP503ErrorSpike',
          firing: 2,
          resolved: 0,
          since: at,
          repeat: true,
        },
        {
          seq: 1,
          at,
          type: 'alert.attached',
          alertname: 'CriticalServiceDown',
          firing: 1,
          since: at,
          severity: { from: 'major', to: 'critical' },
        },
        {
          seq: 2,
          at: '2026-11-25T10:30:00.000Z',
          type: 'alert.resolved',
          alertname: 'HTTP503ErrorSpike',
          alerts: 2,
          resolvedAt: '2026-11-25T10:29:00.000Z',
        },
      ],
      actions: [],
      checks: [],
      window: { start: at, end: at, endsAt: 'now' },
      impact: [],
    });
    expect(rows.map((r) => `${r.at} ${r.what} | ${r.who}`)).toEqual([
      '2026-11-25T10:01:00.000Z Alerted: incident opened | HTTP503ErrorSpike (alertmanager)',
      '2026-11-25T10:02:00.000Z Alert CriticalServiceDown joined: 1 firing since 2026-11-25 10:02:00, severity major → critical | Firebreak',
      '2026-11-25T10:30:00.000Z Alert HTTP503ErrorSpike resolved at 2026-11-25 10:29:00 | Firebreak',
    ]);
  });
});
