import { dayStamp, type Incident } from '../incidents/incident.js';

/** Lowercase a-z, 0-9, `-` and `_`: what Slack allows in a channel name. */
function channelSafe(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `inc-20261125-503-k3f9` — Slack channel names: lowercase a-z 0-9 - _, at most 80 characters. A
 * long kind is shortened, never the suffix: a retry after `name_taken` must produce another name.
 */
export function channelNameFor(incident: Pick<Incident, 'kind' | 'openedAt'>, suffix: string): string {
  const head = `inc-${dayStamp(new Date(incident.openedAt))}-`;
  const tail = `-${channelSafe(suffix)}`;
  const kind = channelSafe(incident.kind).slice(0, 80 - head.length - tail.length);
  return `${head}${kind}${tail}`;
}
