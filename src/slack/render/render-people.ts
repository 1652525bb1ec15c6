import type { People } from '../../timeline/people.js';

/** People as Slack mentions: `<@U012>` for a user, `<!subteam^S012>` for a user group (Slack notifies its members). */
export function renderPeople(people: People): string {
  return [...people.users.map((id) => `<@${id}>`), ...people.groups.map((id) => `<!subteam^${id}>`)].join(
    ', ',
  );
}
