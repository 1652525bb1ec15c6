import { randomBytes } from 'node:crypto';
import { normalizeBlocks, validateBlocks } from './block-kit-limits.js';
import type { FakeViewJson } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import { fail, type MethodResult } from './method-helpers.js';

/** Slack's view limits: 100 blocks, 24-character titles and buttons, 3,000 characters of metadata, 250 kB. */
const LIMITS = {
  blocks: 100,
  titleText: 24,
  privateMetadata: 3000,
  id: 255,
  bytes: 250 * 1024,
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function plainText(value: unknown, at: string, required: boolean, errors: string[]): void {
  if (value === undefined || value === null) {
    if (required) errors.push(`missing required field: ${at.split('/').pop()} [json-pointer:${at}]`);
    return;
  }
  if (!isObj(value) || value.type !== 'plain_text' || typeof value.text !== 'string') {
    errors.push(`must be a plain_text object [json-pointer:${at}]`);
  } else if (value.text.length === 0) {
    errors.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  } else if (value.text.length > LIMITS.titleText) {
    errors.push(`must be less than ${LIMITS.titleText + 1} characters [json-pointer:${at}/text]`);
  }
}

/**
 * Checks a `view` argument as Slack does before accepting it; a refusal is `invalid_arguments` with
 * Slack-style messages in `response_metadata`, or `view_too_large`.
 */
export function checkView(raw: unknown, allowed: readonly FakeViewJson['type'][]): MethodResult | undefined {
  const refuse = (messages: string[]) =>
    fail('invalid_arguments', { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
  if (!isObj(raw)) return refuse(['invalid `view`: must be a JSON object [json-pointer:/view]']);
  if (JSON.stringify(raw).length > LIMITS.bytes) return fail('view_too_large');
  if (!allowed.includes(raw.type as FakeViewJson['type']))
    return refuse([`must be ${allowed.join(' or ')} [json-pointer:/view/type]`]);
  const errors: string[] = [];
  if (raw.type === 'modal') {
    plainText(raw.title, '/view/title', true, errors);
    plainText(raw.close, '/view/close', false, errors);
    plainText(raw.submit, '/view/submit', false, errors);
    const hasInput = Array.isArray(raw.blocks) && raw.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && raw.submit === undefined)
      errors.push('missing required field: submit (a modal with input blocks) [json-pointer:/view/submit]');
  }
  if (raw.blocks === undefined) errors.push('missing required field: blocks [json-pointer:/view/blocks]');
  else
    errors.push(
      ...validateBlocks(raw.blocks, LIMITS.blocks).map((e) => e.replace('pointer:/', 'pointer:/view/')),
    );
  for (const [field, max] of [
    ['private_metadata', LIMITS.privateMetadata],
    ['callback_id', LIMITS.id],
    ['external_id', LIMITS.id],
  ] as const) {
    const value = raw[field];
    if (value !== undefined && typeof value !== 'string')
      errors.push(`must be a string [json-pointer:/view/${field}]`);
    else if (value !== undefined && value.length > max)
      errors.push(`must be less than ${max + 1} characters [json-pointer:/view/${field}]`);
  }
  return errors.length > 0 ? refuse(errors) : undefined;
}

/** A fresh `hash`: Slack's are `<seconds>.<hex>` and change with every update. */
export const newHash = () => `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;

const textOrNull = (v: unknown) => (isObj(v) ? (structuredClone(v) as FakeViewJson['submit']) : null);

/** The stored view for a checked `raw` view, placed in a stack by `id`, `root` and `previous`. */
export function buildView(
  ws: FakeWorkspace,
  raw: Obj,
  place: { id: string; root: string | null; previous: string | null },
): FakeViewJson {
  const type = raw.type as FakeViewJson['type'];
  const str = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  return {
    id: place.id,
    team_id: ws.ids.teamId,
    type,
    blocks: normalizeBlocks(Array.isArray(raw.blocks) ? raw.blocks : [], `${place.id}/${newHash()}`),
    private_metadata: str('private_metadata'),
    callback_id: str('callback_id'),
    external_id: str('external_id'),
    state: { values: {} },
    hash: newHash(),
    ...(isObj(raw.title) ? { title: structuredClone(raw.title) as NonNullable<FakeViewJson['title']> } : {}),
    close: textOrNull(raw.close),
    submit: textOrNull(raw.submit),
    clear_on_close: raw.clear_on_close === true,
    notify_on_close: raw.notify_on_close === true,
    root_view_id: place.root,
    previous_view_id: place.previous,
    app_id: ws.ids.appId,
    app_installed_team_id: ws.ids.teamId,
    bot_id: ws.ids.botId,
  };
}

/** The external_id is taken by another view of the workspace (Slack: `duplicate_external_id`). */
export function externalIdTaken(ws: FakeWorkspace, raw: Obj, exceptId?: string): boolean {
  const ext = raw.external_id;
  if (typeof ext !== 'string' || ext === '') return false;
  return [...ws.views.values()].some((r) => r.view.external_id === ext && r.view.id !== exceptId);
}
