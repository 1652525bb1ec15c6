import type { Surface } from '../../timeline/actor.js';
import { escapeMrkdwn } from './blocks.js';

const surfaceNames: Record<Surface, string> = {
  slack: 'Slack',
  alertmanager: 'Alertmanager',
  console: 'the console',
  cli: 'the CLI',
  firebreak: 'Firebreak',
};

/**
 * An actor as Slack shows it: a Slack user is a mention (Slack renders their name), anyone else is
 * named with the surface they acted through; no actor at all is Firebreak's own step.
 */
export function renderActor(id: string | undefined, via: Surface | undefined): string {
  if (!id) return 'Firebreak';
  switch (via) {
    case 'slack':
      return `<@${id}>`;
    case 'firebreak':
      return 'Firebreak';
    case undefined:
      return escapeMrkdwn(id);
    default:
      return `${escapeMrkdwn(id)} (${surfaceNames[via]})`;
  }
}
