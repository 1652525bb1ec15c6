import type { Surface } from '../timeline/actor.js';
import type { Incident } from './incident.js';
import type { IncidentStore } from './incident-store.js';

/**
 * The most recently opened incident of a kind that is still open, if any; with `openedVia`, only one
 * opened through that surface (`'alertmanager'`: the incident an alert opened, which `/incident 503`
 * points to instead of opening a second).
 */
export async function findOpenIncident(
  store: Pick<IncidentStore, 'listOpen'>,
  kind: string,
  options: { openedVia?: Surface } = {},
): Promise<Incident | undefined> {
  const open = await store.listOpen();
  return open.findLast(
    (incident) =>
      incident.kind === kind &&
      incident.status !== 'resolved' &&
      (options.openedVia === undefined || incident.openedVia === options.openedVia),
  );
}
