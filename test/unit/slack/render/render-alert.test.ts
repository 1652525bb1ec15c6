import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../src/incidents/incident.js';
import { renderAnnouncement, renderResponderPage } from '../../../../src/slack/render/render-announcement.js';
import { renderAlertFacts, renderHeader } from '../../../../src/slack/render/render-header.js';
import { renderOpenPointer } from '../../../../src/slack/render/render-open-pointer.js';
import { renderTimelineLine } from '../../../../src/slack/render/render-timeline-entry.js';
import type { TimelineEvent } from '../../../../src/timeline/timeline-entry.js';
import { incident, runbook } from './render-fixtures.js';

/** An incident HTTP503ErrorSpike opened, as the alert surface records it. */
const alerted = (overrides: Partial<Incident> = {}): Incident =>
  incident({
    summary: 'HTTP 503 responses above 20/s across the stack',
    openedBy: 'HTTP503ErrorSpike',
    openedVia: 'alertmanager',
    alertedAt: '2026-11-25T01:58:00.000Z',
    alert: {
      name: 'HTTP503ErrorSpike',
      summary: 'HTTP 503 responses above 20/s across the stack',
      labels: { alertname: 'HTTP503ErrorSpike', runbook: '503', severity: 'critical', env: '<prod>' },
      generatorURL: 'http://prometheus:9090/graph?g0.expr=sum%28rate%28x%29%29&g0.tab=1',
      startsAt: '2026-11-25T01:58:00.000Z',
      severity: 'critical',
    },
    ...overrides,
  });

const texts = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

describe('an incident an alert opened, in Slack', () => {
  it("shows the alert in the header: its name linked to the rule's graph, summary, labels", () => {
    expect(
      renderAlertFacts(alerted().alert ?? { name: '', labels: {}, startsAt: '' }),
    ).toMatchInlineSnapshot(`
      ":bell: *Alert* <http://prometheus:9090/graph?g0.expr=sum%28rate%28x%29%29&g0.tab=1|*HTTP503ErrorSpike*> started <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>
      HTTP 503 responses above 20/s across the stack
      \`runbook=503\` \`severity=critical\` \`env=&lt;prod&gt;\`"
    `);
    const header = renderHeader(alerted(), []);
    expect(texts(header)).toContain('*Alert* <http://prometheus:9090/graph');
    // Opened by the alert, not "commanded" by it.
    expect(texts(header)).toContain('*Opened by*\\nHTTP503ErrorSpike (Alertmanager)');
    expect(texts(header)).not.toContain('*Commander*');
  });

  it('names the alert that raised the severity, and leaves a non-http generator URL unlinked', () => {
    const raised = alerted({ severity: 'critical', severityRaisedBy: 'DbDown' });
    expect(texts(renderHeader(raised, []))).toContain('*Severity*\\ncritical (raised by DbDown)');
    const odd = alerted();
    const facts = renderAlertFacts({
      ...(odd.alert as NonNullable<Incident['alert']>),
      generatorURL: 'javascript:x',
    });
    expect(facts).toContain('*Alert* *HTTP503ErrorSpike* started');
  });

  it('announces it with the alert, and pages the responders once, in its channel', () => {
    expect(renderAnnouncement(alerted(), 'C0INC00001')).toMatchInlineSnapshot(`
      ":rotating_light: Incident *20261125-503-k3f9* opened by HTTP503ErrorSpike (Alertmanager): HTTP 503 error spike — HTTP 503 responses above 20/s across the stack. Join <#C0INC00001>.
      :bell: *Alert* <http://prometheus:9090/graph?g0.expr=sum%28rate%28x%29%29&g0.tab=1|*HTTP503ErrorSpike*> started <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>
      \`runbook=503\` \`severity=critical\` \`env=&lt;prod&gt;\`"
    `);
    expect(renderAnnouncement(incident(), 'C0INC00001')).not.toContain(':bell:');
    expect(renderResponderPage(alerted(), ['U0RESP0001', 'U0RESP0002'])).toMatchInlineSnapshot(
      `"<@U0RESP0001> <@U0RESP0002> — alert *HTTP503ErrorSpike* opened this incident. The diagnostic snapshot and the actions follow in the thread of the header."`,
    );
  });

  it('points /incident 503 to it', () => {
    expect(renderOpenPointer(alerted(), { id: 'C0INC00001' })).toMatchInlineSnapshot(`
      ":point_right: Alert *HTTP503ErrorSpike* already opened incident *20261125-503-k3f9* (HTTP 503 error spike) at <!date^1795572000^{date_short_pretty} {time_secs}|2026-11-25T02:00:00.000Z>: join <#C0INC00001>. No second incident was opened.
      To open another one on purpose: \`/incident 503 new [summary]\`."
    `);
    expect(renderOpenPointer(alerted(), undefined)).toContain('(its channel is being created)');
  });

  it("renders the group's news as thread lines", () => {
    const line = (event: TimelineEvent) =>
      renderTimelineLine(
        { seq: 5, at: '2026-11-25T02:10:00.000Z', actor: 'HTTP503ErrorSpike', via: 'alertmanager', ...event },
        alerted(),
        runbook(),
      );
    const since = '2026-11-25T01:58:00.000Z';
    expect({
      opened: line({ type: 'incident.opened', summary: 'HTTP 503 responses above 20/s' }),
      attached: line({
        type: 'alert.attached',
        alertname: 'CriticalServiceDown',
        firing: 1,
        since,
        summary: 'Generation service is completely down',
        severity: { from: 'major', to: 'critical' },
      }),
      stillFiring: line({
        type: 'alert.firing',
        alertname: 'HTTP503ErrorSpike',
        firing: 3,
        resolved: 0,
        since,
        repeat: true,
      }),
      joined: line({
        type: 'alert.firing',
        alertname: 'HTTP503ErrorSpike',
        firing: 3,
        resolved: 0,
        since,
        repeat: false,
      }),
      partial: line({
        type: 'alert.firing',
        alertname: 'HTTP503ErrorSpike',
        firing: 2,
        resolved: 1,
        since,
        repeat: false,
      }),
      resolved: line({
        type: 'alert.resolved',
        alertname: 'HTTP503ErrorSpike',
        alerts: 1,
        resolvedAt: '2026-11-25T02:15:00.000Z',
      }),
    }).toMatchInlineSnapshot(`
      {
        "attached": ":rotating_light: Alert *CriticalServiceDown* (Alertmanager) joined this incident — firing since <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>, 1 alert: Generation service is completely down. Severity raised major → *critical*.",
        "joined": ":rotating_light: *HTTP503ErrorSpike* firing since <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>, now 3 alerts",
        "opened": ":rotating_light: HTTP503ErrorSpike (Alertmanager) opened incident *20261125-503-k3f9* — HTTP 503 error spike: HTTP 503 responses above 20/s",
        "partial": ":large_yellow_circle: *HTTP503ErrorSpike* partially resolved: 1 of 3 alerts resolved, 2 still firing since <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>",
        "resolved": ":large_green_circle: *HTTP503ErrorSpike*: alert resolved at <!date^1795572900^{date_short_pretty} {time_secs}|2026-11-25T02:15:00.000Z> (1 alert). The incident stays open until someone runs \`/incident resolve\`.",
        "stillFiring": ":repeat: *HTTP503ErrorSpike* still firing since <!date^1795571880^{date_short_pretty} {time_secs}|2026-11-25T01:58:00.000Z>, 3 alerts",
      }
    `);
  });
});
