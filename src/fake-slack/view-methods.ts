import type { FakeViewJson, FakeViewRecord } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import { type Args, fail, type Handler, type MethodResult, str, USER_ID } from './method-helpers.js';
import { readTriggerId, TRIGGER_LIFETIME_MS } from './trigger-ids.js';
import { buildView, checkView, externalIdTaken } from './view-json.js';

/** Slack keeps at most three views in a modal's stack. */
export const MAX_STACK = 3;

const invalid = (message: string) =>
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });

/** The user a trigger was issued for, if it may still be exchanged (once, within 3 s). */
function exchangeable(ws: FakeWorkspace, args: Args): { trigger: string; userId: string } | MethodResult {
  const trigger = str(args, 'trigger_id') ?? str(args, 'interactivity_pointer');
  if (!trigger) return invalid('missing required field: trigger_id');
  const issued = readTriggerId(trigger);
  if (!issued) return fail('invalid_trigger_id');
  if (ws.exchangedTriggers.has(trigger)) return fail('exchanged_trigger_id');
  if (Date.now() - issued.issuedAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
  return { trigger, userId: issued.userId };
}

const isFailed = (v: object): v is MethodResult => 'ok' in v;

/** Closes `viewId` and every view stacked above it. */
export function closeFrom(ws: FakeWorkspace, userId: string, viewId: string): void {
  const stack = ws.modalStacks.get(userId) ?? [];
  const at = stack.indexOf(viewId);
  if (at < 0) return;
  for (const id of stack.splice(at)) {
    const record = ws.views.get(id);
    if (record) record.open = false;
  }
}

/** Stores a checked modal on top of the user's stack (a new stack when `root`). */
export function stackModal(ws: FakeWorkspace, userId: string, raw: Args, root: boolean): FakeViewJson {
  if (root) closeFrom(ws, userId, ws.modalStacks.get(userId)?.[0] ?? '');
  const stack = ws.modalStacks.get(userId) ?? [];
  const id = ws.nextId('V');
  const view = buildView(ws, raw, { id, root: stack[0] ?? id, previous: stack.at(-1) ?? null });
  ws.views.set(id, { userId, open: true, view });
  ws.modalStacks.set(userId, [...stack, id]);
  return view;
}

/**
 * Replaces a view's content, keeping its id and place in the stack (and its external_id when the new view
 * names none); a new hash, no errors.
 */
export function replaceView(ws: FakeWorkspace, record: FakeViewRecord, raw: Args): FakeViewJson {
  const { id, root_view_id, previous_view_id, external_id } = record.view;
  const kept = raw.external_id === undefined && external_id ? { ...raw, external_id } : raw;
  record.view = buildView(ws, kept, { id, root: root_view_id, previous: previous_view_id });
  delete record.errors;
  return record.view;
}

function findView(ws: FakeWorkspace, args: Args): FakeViewRecord | undefined {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  return viewId
    ? ws.views.get(viewId)
    : [...ws.views.values()].find((r) => externalId && r.view.external_id === externalId);
}

const view = (args: Args) => args.view as Args;

/** views.*: modals from a trigger, their stack and updates, and App Home, with Slack's errors. */
export const viewMethods: Record<string, Handler> = {
  'views.open': (ws, args) => {
    const exchange = exchangeable(ws, args);
    if (isFailed(exchange)) return exchange;
    const refused = checkView(args.view, ['modal']);
    if (refused) return refused;
    if (externalIdTaken(ws, view(args))) return fail('duplicate_external_id');
    ws.exchangedTriggers.add(exchange.trigger);
    return { ok: true, view: stackModal(ws, exchange.userId, view(args), true) };
  },

  'views.push': (ws, args) => {
    const exchange = exchangeable(ws, args);
    if (isFailed(exchange)) return exchange;
    const refused = checkView(args.view, ['modal']);
    if (refused) return refused;
    const stack = ws.modalStacks.get(exchange.userId) ?? [];
    if (stack.length === 0) return invalid('no open modal to push a view onto: use views.open');
    if (stack.length >= MAX_STACK) return fail('push_limit_reached');
    if (externalIdTaken(ws, view(args))) return fail('duplicate_external_id');
    ws.exchangedTriggers.add(exchange.trigger);
    return { ok: true, view: stackModal(ws, exchange.userId, view(args), false) };
  },

  'views.update': (ws, args) => {
    if (!str(args, 'view_id') && !str(args, 'external_id'))
      return invalid('missing required field: view_id or external_id');
    const record = findView(ws, args);
    // A closed modal is gone for Slack too.
    if (!record || (record.view.type === 'modal' && !record.open)) return fail('not_found');
    const refused = checkView(args.view, [record.view.type]);
    if (refused) return refused;
    const hash = str(args, 'hash');
    if (hash && hash !== record.view.hash) return fail('hash_conflict');
    if (externalIdTaken(ws, view(args), record.view.id)) return fail('duplicate_external_id');
    return { ok: true, view: replaceView(ws, record, view(args)) };
  },

  'views.publish': (ws, args) => {
    const userId = str(args, 'user_id') ?? '';
    if (!USER_ID.test(userId)) return invalid('invalid `user_id`');
    const refused = checkView(args.view, ['home']);
    if (refused) return refused;
    const existing = ws.views.get(ws.homeViews.get(userId) ?? '');
    const hash = str(args, 'hash');
    if (hash && existing && hash !== existing.view.hash) return fail('hash_conflict');
    if (externalIdTaken(ws, view(args), existing?.view.id)) return fail('duplicate_external_id');
    if (existing) return { ok: true, view: replaceView(ws, existing, view(args)) };
    // A user's Home keeps one view id across publishes.
    const id = ws.nextId('V');
    const home = buildView(ws, view(args), { id, root: id, previous: null });
    ws.views.set(id, { userId, open: true, view: home });
    ws.homeViews.set(userId, id);
    return { ok: true, view: home };
  },
};

/** The `app_home_opened` event for the user's Home tab, as Slack sends it (with the view once published). */
export function appHomeOpenedEvent(ws: FakeWorkspace, userId: string): Record<string, unknown> {
  const home = ws.views.get(ws.homeViews.get(userId) ?? '');
  return {
    type: 'app_home_opened',
    user: userId,
    channel: ws.imWith(userId).id,
    tab: 'home',
    ...(home ? { view: structuredClone(home.view) } : {}),
    event_ts: ws.nextTs(),
  };
}
