import type { Incident, IncidentStatus } from '../../incidents/incident.js';
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
    `*Severity*\n${incident.severity}`,
    `*Commander*\n${renderActor(incident.openedBy, incident.openedVia)}`,
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
        text: { type: 'plain_text', text: `Incident ${incident.id} · ${incident.title}`.slice(0, 150) },
      },
      // Clipped: an alert's summary can be long, and one oversized block makes Slack refuse the header.
      ...(incident.summary ? [section(escapeMrkdwn(incident.summary))] : []),
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
      context(
        `Kind \`${incident.kind}\` · the thread below is the timeline${links ? ` · Dashboards: ${links}` : ''}`,
      ),
    ],
  };
}
