// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { describe, expect, it } from 'vitest';
import { runbookSchema } from '../../../../src/runbooks/runbook-schema.js';
import { dashboardLinks, renderHeader } from '../../../../src/slack/render/render-header.js';
import { incident, runbook } from './render-fixtures.js';

const links = [{ title: 'Grafana · 503s <all>', url: 'https://grafana.example/d/503' }];

describe('renderHeader', () => {
  it('shows an open incident: status, severity, commander, opened, dashboards', () => {
    expect(renderHeader(incident(), links)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Incident 20261125-503-k3f9 · HTTP 503 error spike",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "checkout returns 503 for &lt;everyone&gt; &amp; more",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "fields": [
              {
                "text": "*Status*
      :mag: Investigating",
                "type": "mrkdwn",
              },
              {
                "text": "*Severity*
      critical",
                "type": "mrkdwn",
              },
              {
                "text": "*Commander*
      <@U0ALICE001>",
                "type": "mrkdwn",
              },
              {
                "text": "*Opened*
      <!date^1795572000^{date_short_pretty} {time_secs}|2026-11-25T02:00:00.000Z>",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Kind \`503\` · the thread below is the timeline · Dashboards: <https://grafana.example/d/503|Grafana · 503s &lt;all&gt;>",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Incident 20261125-503-k3f9 (503): HTTP 503 error spike — investigating",
      }
    `);
  });

  it('shows who resolved it and when', () => {
    const resolved = incident({
      status: 'resolved',
      summary: '',
      resolvedBy: 'U0BOB00002',
      resolvedVia: 'slack',
      resolvedAt: '2026-11-25T03:15:00.000Z',
    });
    expect(renderHeader(resolved, [])).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Incident 20261125-503-k3f9 · HTTP 503 error spike",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "fields": [
              {
                "text": "*Status*
      :white_check_mark: Resolved",
                "type": "mrkdwn",
              },
              {
                "text": "*Severity*
      critical",
                "type": "mrkdwn",
              },
              {
                "text": "*Commander*
      <@U0ALICE001>",
                "type": "mrkdwn",
              },
              {
                "text": "*Opened*
      <!date^1795572000^{date_short_pretty} {time_secs}|2026-11-25T02:00:00.000Z>",
                "type": "mrkdwn",
              },
              {
                "text": "*Resolved*
      <!date^1795576500^{date_short_pretty} {time_secs}|2026-11-25T03:15:00.000Z> by <@U0BOB00002>",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Kind \`503\` · the thread below is the timeline",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Incident 20261125-503-k3f9 (503): HTTP 503 error spike — resolved",
      }
    `);
  });

  it('keeps the header block and the summary within Slack limits', () => {
    const long = incident({ title: 'T'.repeat(400), summary: 's'.repeat(5000) });
    const { blocks } = renderHeader(long, []);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const summary = blocks[1] as { text: { text: string } };
    expect(summary.text.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('dashboardLinks', () => {
  it('resolves the runbook dashboard URLs and leaves out one that cannot be resolved', () => {
    const book = runbookSchema.parse({
      ...runbook(),
      monitoring: {
        dashboards: [
          { title: 'Home', url: '${GRAFANA_URL:-https://grafana.default}' },
          { title: '503s', url: '${GRAFANA_URL}/d/503' },
          { title: 'Broken', url: '${UNSET_DASHBOARD_HOST}/d/x' },
        ],
      },
    });
    expect(dashboardLinks(book, {})).toEqual([{ title: 'Home', url: 'https://grafana.default' }]);
    expect(dashboardLinks(book, { GRAFANA_URL: 'https://g.internal' })).toEqual([
      { title: 'Home', url: 'https://g.internal' },
      { title: '503s', url: 'https://g.internal/d/503' },
    ]);
    expect(dashboardLinks(undefined, {})).toEqual([]);
  });
});
