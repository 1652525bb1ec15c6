import type { WebClient } from '@slack/web-api';
import type { GroupMembers, PeopleDirectory } from '../incidents/approval-policy.js';
import type { Logger } from '../logging/logger.js';
import { slackErrorCode } from './slack-errors.js';

/** Why a group could not be read, in words an admin can act on. */
function reasonOf(code: string | undefined): string {
  switch (code) {
    case 'missing_scope':
      return 'the app lacks the usergroups:read scope';
    case 'no_such_subteam':
      return 'no such user group (or it is disabled)';
    case undefined:
      return 'Slack did not answer';
    default:
      return `Slack answered ${code}`;
  }
}

/**
 * Slack user groups as the approval policy's directory: `usergroups.users.list` per group, cached
 * for `ttlMs` (a click must not wait on Slack for every decision, and a group changes rarely) with
 * one request in flight per group. A failure is not cached: the next decision asks again.
 */
export function createSlackPeopleDirectory(
  client: WebClient,
  log: Logger,
  options: { ttlMs?: number; now?: () => number } = {},
): PeopleDirectory {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: readonly string[] }>();
  const inFlight = new Map<string, Promise<GroupMembers>>();
  const read = async (groupId: string): Promise<GroupMembers> => {
    try {
      const answer = await client.usergroups.users.list({ usergroup: groupId });
      const members = answer.users ?? [];
      cache.set(groupId, { at: now(), members });
      return { ok: true, members };
    } catch (err) {
      const code = slackErrorCode(err);
      log.warn({ groupId, code }, 'could not read a Slack user group for the approval policy');
      return { ok: false, reason: reasonOf(code) };
    } finally {
      inFlight.delete(groupId);
    }
  };
  return {
    membersOf(groupId) {
      const cached = cache.get(groupId);
      if (cached && now() - cached.at < ttlMs) return Promise.resolve({ ok: true, members: cached.members });
      const pending = inFlight.get(groupId) ?? read(groupId);
      inFlight.set(groupId, pending);
      return pending;
    },
  };
}
