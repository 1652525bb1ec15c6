import type { Actor } from '../timeline/actor.js';
import { gatherPostmortem } from './gather-postmortem.js';
import type { PostmortemDeps } from './postmortem-deps.js';
import { renderPostmortem } from './render-postmortem.js';

export type WriteResult =
  | { kind: 'written'; version: number; markdown: string }
  | { kind: 'incident-unknown' };

/**
 * Writes (or rewrites) an incident's postmortem from its records, keeps it with the incident and
 * tells the timeline (`postmortem.written`), which the surfaces attach (Slack: a file in the thread).
 */
export async function writePostmortem(
  deps: PostmortemDeps,
  incidentId: string,
  actor?: Actor,
): Promise<WriteResult> {
  const facts = await gatherPostmortem(deps, incidentId);
  if (!facts) return { kind: 'incident-unknown' };
  const markdown = renderPostmortem(facts);
  const version = await deps.postmortems.save(incidentId, markdown, facts.generatedAt);
  await deps.timeline.record(incidentId, { type: 'postmortem.written', version }, actor);
  deps.log.info({ incidentId, version }, 'postmortem written');
  return { kind: 'written', version, markdown };
}
