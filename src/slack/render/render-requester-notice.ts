import type { Incident } from '../../incidents/incident.js';
import type { RequesterNotice } from '../../incidents/incident-surface.js';
import { escapeMrkdwn } from './blocks.js';

const advice: Record<Extract<RequesterNotice, { type: 'not-opened' }>['advice'], string> = {
  'fix-then-retry': 'run `/incident` again once that is fixed.',
  'retry-or-by-hand': 'run `/incident` again; if it fails again, follow the runbook by hand.',
};

/** What the requester reads (ephemeral, through the command's response_url). */
export function renderRequesterNotice(
  incident: Pick<Incident, 'id'>,
  notice: RequesterNotice,
  channel: { id: string } | undefined,
): string {
  switch (notice.type) {
    case 'opened':
      return channel
        ? `Incident *${incident.id}* is open in <#${channel.id}>.`
        : `Incident *${incident.id}* is open.`;
    case 'not-opened':
      return `:warning: Incident *${incident.id}* could not be opened: ${escapeMrkdwn(notice.reason)}. Nothing was run and the incident is closed; ${advice[notice.advice]}`;
  }
}
