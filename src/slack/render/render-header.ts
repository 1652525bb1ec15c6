import type { Incident, IncidentStatus } from '../../incidents/incident.js';
import type { IncidentAlert } from '../../incidents/incident-alert.js';
import { interpolate, type Variables } from '../../runbooks/interpolate.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import { context, escapeMrkdwn, type RenderedMessage, section, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';

export const statusBadge: Record<IncidentStatus, string> = {
  opening: ':hourglass_flowing_sand: Opening',
  investigating: ':mag: Investigating',
  mitigating: ':hammer_and_wrench: Mitigating',
  resolved: ':white_check_mark: Resolved',
};

export interface Link {
  title: string;
  url: string;
}

/** The runbook's dashboards with their URLs resolved; one that cannot be resolved is left out. */
export function dashboardLinks(runbook: Runbook | undefined, vars: Variables): Link[] {
  return (runbook?.monitoring.dashboards ?? []).flatMap((d) => {
    try {
      return [{ title: d.title, url: interpolate(d.url, vars) }];
    } catch {
      return [];
    }
  });
}

/** The incident channel's header message; its thread is the timeline. Re-rendered on every status change. */
export function renderHeader(
  incident: Incident,
  dashboards: readonly Link[],
  recovery: { recoveredAt?: string } = {},
): RenderedMessage {
  const fields = [
    `*Status*\n${statusBadge[incident.status]}`,
    `*Severity*\n${incident.severity}${incident.severityRaisedBy ? ` (raised by ${escapeMrkdwn(incident.severityRaisedBy)})` : ''}`,
    // An alert opens an incident but commands nothing: say who opened it rather than crown the alert.
    incident.openedVia === 'alertmanager'
      ? `*Opened by*\n${renderActor(incident.openedBy, incident.openedVia)}`
      : `*Commander*\n${renderActor(incident.openedBy, incident.openedVia)}`,
    `*Opened*\n${slackDate(incident.openedAt)}`,
  ];
  if (recovery.recoveredAt) fields.push(`*Recovered*\n${slackDate(recovery.recoveredAt)}`);
  if (incident.resolvedAt && incident.resolvedBy) {
    fields.push(
      `*Resolved*\n${slackDate(incident.resolvedAt)} by ${renderActor(incident.resolvedBy, incident.resolvedVia)}`,
    );
  }
  const links = dashboards.map((d) => `<${d.url}|${escapeMrkdwn(d.title)}>`).join(' · ');
  return {
    text: `Incident ${incident.id} (${incident.kind}): ${incident.title} — ${incident.status}`,
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: `${incident.dryRun ? 'DRY RUN · ' : ''}Incident ${incident.id} · ${incident.title}`.slice(
            0,
            150,
          ),
        },
      },
      ...(incident.dryRun
        ? [
            context(
              ':test_tube: *DRY RUN* — approvals, policy and deadlines as usual; actions only say what they would do. Nothing is changed.',
            ),
          ]
        : []),
      // Clipped: an alert's summary can be long, and one oversized block makes Slack refuse the header.
      ...(incident.summary ? [section(escapeMrkdwn(incident.summary))] : []),
      ...(incident.alert ? [section(renderAlertFacts(incident.alert, incident.summary))] : []),
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
      context(
        `Kind \`${incident.kind}\` · the thread below is the timeline${links ? ` · Dashboards: ${links}` : ''}`,
      ),
    ],
  };
}

/** Slack links only http(s) URLs; anything else stays text. */
function linkTo(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return label;
  return `<${url.replaceAll('|', '%7C').replaceAll('>', '%3E')}|${label}>`;
}

/**
 * The alert behind an incident, for its header and its announcement: the name linked to the rule's
 * graph (`generatorURL`), since when it fires, its summary (unless it is `shown` already: an alert's
 * incident takes its summary), and its labels (`alertname` aside).
 */
export function renderAlertFacts(alert: IncidentAlert, shown?: string): string {
  const labels = Object.entries(alert.labels)
    .filter(([name]) => name !== 'alertname')
    .map(([name, value]) => `\`${escapeMrkdwn(name)}=${escapeMrkdwn(value)}\``)
    .join(' ');
  return [
    `:bell: *Alert* ${linkTo(alert.generatorURL, `*${escapeMrkdwn(alert.name)}*`)} started ${slackDate(alert.startsAt)}`,
    ...(alert.summary && alert.summary !== shown ? [escapeMrkdwn(alert.summary)] : []),
    ...(labels ? [labels] : []),
  ].join('\n');
}
