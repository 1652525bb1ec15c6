import { describe, expect, it } from 'vitest';
import { renderSnapshot } from '../../../../src/slack/render/render-snapshot.js';
import { diagnosis, result } from './render-fixtures.js';

describe('renderSnapshot', () => {
  it('lists every check by step with value, threshold and verdict, and says when nothing matched', () => {
    expect(renderSnapshot(diagnosis())).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": ":stethoscope: *Diagnostic snapshot* — 4 checks in 2.4 s: 1 critical, 1 warning, 1 ok, 1 unknown",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Step 1 · Services*
      :red_circle: Generation service health: *2510 ms* — HTTP 503 in 2.5 s _(warn ≥ 1000 ms, critical ≥ 2000 ms)_
      :large_green_circle: Project service health: *42 ms* — HTTP 200",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Step 2 · Resources*
      :large_yellow_circle: Memory: *81.3 %* — used 13 of 16 GiB _(warn ≥ 75 %, critical ≥ 85 %)_",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Step 3 · Data stores*
      :white_circle: SQLite lock holders: — program lsof is not allowed on this host",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "type": "divider",
          },
          {
            "text": {
              "text": ":dart: *Likely root cause:* no scenario matched the evidence; follow P1–P3.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Probed 2026-11-25T02:00:01.000Z – 2026-11-25T02:00:03.400Z",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Diagnostic snapshot: 1 critical (Generation service health)",
      }
    `);
  });

  it('names the matched scenario with its evidence', () => {
    const matched = diagnosis({
      scenarios: [
        {
          scenarioId: 'resource-exhaustion',
          number: 1,
          title: 'Resource exhaustion',
          matched: true,
          evidence: ['host-memory 91 % ≥ 85', 'host-cpu 97 % ≥ 80 <high>'],
        },
        { scenarioId: 'external-api', number: 3, title: 'External API outage', matched: false, evidence: [] },
      ],
    });
    const { blocks } = renderSnapshot(matched);
    expect(blocks.slice(-2)).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": ":dart: *Likely root cause*
      *Scenario 1 — Resource exhaustion*
      • host-memory 91 % ≥ 85
      • host-cpu 97 % ≥ 80 &lt;high&gt;",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Probed 2026-11-25T02:00:01.000Z – 2026-11-25T02:00:03.400Z",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it('puts the worst checks in the notification text', () => {
    const many = diagnosis({
      results: ['a', 'b', 'c', 'd'].map((id) =>
        result({ probeId: id, title: `Check ${id}`, verdict: 'critical' }),
      ),
    });
    expect(renderSnapshot(many).text).toBe('Diagnostic snapshot: 4 critical (Check a, Check b, Check c)');
    expect(renderSnapshot(diagnosis({ results: [] })).text).toBe('Diagnostic snapshot: 0 critical');
  });
});
