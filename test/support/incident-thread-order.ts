import type { FakeMessage, FakeSlack } from '../../src/fake-slack/index.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { SlackLedger } from '../../src/slack/slack-ledger.js';
import type { TimelineEntry } from '../../src/timeline/timeline-entry.js';

/**
 * What the thread message of a timeline entry starts with, for the entries the opening records. The
 * timeline in Redis is the truth; the thread must show it whole, in its order, each entry once.
 */
function expectedStart(entry: TimelineEntry): string | undefined {
  switch (entry.type) {
    case 'incident.opened':
      return ':rotating_light:';
    case 'diagnosis.completed':
      return 'Diagnostic snapshot';
    case 'actions.offered':
      return `${entry.groupId} actions:`;
    case 'incident.status':
      return `Status: ${entry.from} → *${entry.to}*`;
    default:
      return undefined;
  }
}

/** The thread under the incident's header, and what the incident's timeline says it should hold. */
export async function threadAndTimeline(
  slack: FakeSlack,
  store: IncidentStore,
  ledger: SlackLedger,
  incidentId: string,
): Promise<{ thread: FakeMessage[]; expected: Array<string | undefined>; actual: string[] }> {
  const { channel, headerTs } = await ledger.read(incidentId);
  if (!channel || !headerTs) throw new Error(`incident ${incidentId} has no thread yet`);
  const thread = slack.thread(channel.id, headerTs);
  const timeline = await store.readTimeline(incidentId);
  const expected = timeline.map(expectedStart);
  const actual = thread.map((m, i) => {
    const want = expected[i];
    return want !== undefined && m.text.startsWith(want) ? want : m.text.slice(0, 60);
  });
  return { thread, expected, actual };
}

/** The single open incident of a harness (each fault test opens one). */
export async function onlyOpenIncident(store: IncidentStore): Promise<string> {
  const open = await store.listOpen();
  if (open.length !== 1) throw new Error(`expected one open incident, found ${open.length}`);
  return (open[0] as { id: string }).id;
}
