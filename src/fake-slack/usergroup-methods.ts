import type { FakeUsergroup } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import { fail, flag, type Handler, str, USER_ID } from './method-helpers.js';

const HANDLE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const WORKSPACE_ADMIN = 'U0FBADMIN1';

/** A user group as a test sets it up (Slack's admins make them; the bot only reads them). */
export function addUsergroup(
  ws: FakeWorkspace,
  handle: string,
  userIds: string[],
  options: { name?: string; description?: string; disabled?: boolean; id?: string } = {},
): string {
  if (options.id !== undefined && (!/^S[A-Z0-9]{2,}$/.test(options.id) || ws.usergroups.has(options.id)))
    throw new Error(`addUsergroup: "${options.id}" is not a free user group id (S…)`);
  if (!HANDLE.test(handle))
    throw new Error(`addUsergroup: "${handle}" is not a Slack handle (a-z, 0-9, . _ -)`);
  if ([...ws.usergroups.values()].some((g) => g.handle === handle))
    throw new Error(`addUsergroup: @${handle} already exists`);
  const bad = userIds.find((u) => !USER_ID.test(u));
  if (bad) throw new Error(`addUsergroup: "${bad}" is not a user id (U… or W…)`);
  const group: FakeUsergroup = {
    id: options.id ?? ws.nextId('S'),
    handle,
    name: options.name ?? handle,
    description: options.description ?? '',
    users: [...new Set(userIds)],
    disabled: options.disabled ?? false,
    created: Math.floor(Date.now() / 1000),
  };
  ws.usergroups.set(group.id, group);
  return group.id;
}

/** The group as usergroups.list describes it; `users` and `user_count` only when asked for. */
function usergroupJson(
  ws: FakeWorkspace,
  g: FakeUsergroup,
  opts: { users: boolean; count: boolean },
): Record<string, unknown> {
  return {
    id: g.id,
    team_id: ws.ids.teamId,
    is_usergroup: true,
    is_subteam: true,
    name: g.name,
    description: g.description,
    handle: g.handle,
    is_external: false,
    date_create: g.created,
    date_update: g.created,
    date_delete: g.disabled ? g.created : 0,
    auto_type: null,
    auto_provision: false,
    enterprise_subteam_id: '',
    created_by: WORKSPACE_ADMIN,
    updated_by: WORKSPACE_ADMIN,
    deleted_by: g.disabled ? WORKSPACE_ADMIN : null,
    prefs: { channels: [], groups: [] },
    ...(opts.users ? { users: [...g.users] } : {}),
    ...(opts.count ? { user_count: g.users.length } : {}),
  };
}

/** usergroups.list and usergroups.users.list, with Slack's shapes and errors. */
export const usergroupMethods: Record<string, Handler> = {
  'usergroups.list': (ws, args) => {
    const opts = { users: flag(args, 'include_users'), count: flag(args, 'include_count') };
    const groups = [...ws.usergroups.values()].filter((g) => !g.disabled || flag(args, 'include_disabled'));
    return { ok: true, usergroups: groups.map((g) => usergroupJson(ws, g, opts)) };
  },

  'usergroups.users.list': (ws, args) => {
    const id = str(args, 'usergroup');
    if (!id)
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: usergroup'] },
      });
    const group = ws.usergroups.get(id);
    // A disabled group is not found unless the caller includes disabled groups.
    if (!group || (group.disabled && !flag(args, 'include_disabled'))) return fail('no_such_subteam');
    return { ok: true, users: [...group.users] };
  },
};
