/**
 * A set of people as the core names them: person ids (as their surface gives them, a Slack user id)
 * and groups (a Slack user group) that only a surface can expand. Plain lists, so a timeline entry
 * can say whom it asks and each surface can render the mentions its own way.
 */
export interface People {
  users: readonly string[];
  groups: readonly string[];
}

export const NOBODY: People = { users: [], groups: [] };

/** True when the set names nobody (for approvers: anyone may decide). */
export function isNobody(people: People): boolean {
  return people.users.length === 0 && people.groups.length === 0;
}
