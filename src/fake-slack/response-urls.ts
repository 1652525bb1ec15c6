import { normalizeBlocks, validateBlocks } from './block-kit-limits.js';
import type { ResponseUrlContext } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';

/** Slack lets an app use one response_url five times (within 30 minutes). */
const MAX_USES = 5;

export interface ResponseUrlState {
  uses: number;
  context?: ResponseUrlContext;
}

export interface ResponseUrlReply {
  status: number;
  text: string;
  /** The parsed body, when the post counts as a use. */
  recorded?: unknown;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    // Slack also accepts `payload=<json>` forms here; anything else is kept as text for the test to see.
    const payload = new URLSearchParams(body).get('payload');
    if (payload === null) return body;
    try {
      return JSON.parse(payload);
    } catch {
      return payload;
    }
  }
}

/**
 * Answers a post to a response_url as Slack does: `ok`, or 404 when the URL is unknown or used up; with a
 * context, applies it (`in_channel` → channel message, `replace_original` / `delete_original` → edit the
 * message the click came from, otherwise an ephemeral to the user).
 */
export function handleResponseUrl(
  ws: FakeWorkspace,
  state: ResponseUrlState | undefined,
  raw: string,
): ResponseUrlReply {
  if (!state) return { status: 404, text: 'expired_url' };
  if (state.uses >= MAX_USES) return { status: 404, text: 'used_url' };
  const body = parseBody(raw);
  const msg = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (msg.blocks !== undefined && validateBlocks(msg.blocks).length > 0)
    return { status: 400, text: 'invalid_blocks' };
  state.uses += 1;
  const ctx = state.context;
  const channel = ctx && ws.channels.get(ctx.channelId);
  if (!ctx || !channel) return { status: 200, text: 'ok', recorded: body };

  const text = typeof msg.text === 'string' ? msg.text : '';
  const rawBlocks = Array.isArray(msg.blocks) ? msg.blocks : undefined;
  const original = ctx.messageTs ? ws.find(channel.id, ctx.messageTs) : undefined;
  const seed = `${channel.id}/response/${state.uses}/${ctx.messageTs ?? ''}`;
  if (msg.delete_original === true && original) {
    ws.remove(channel.id, original);
  } else if (msg.replace_original === true && original) {
    original.message.text = text;
    original.message.blocks = normalizeBlocks(rawBlocks ?? [], seed);
  } else if (msg.response_type === 'in_channel') {
    const threadTs = typeof msg.thread_ts === 'string' ? msg.thread_ts : undefined;
    const parent = threadTs ? ws.find(channel.id, threadTs) : undefined;
    const root = parent?.parent ?? parent?.message;
    ws.post(
      channel.id,
      { user: ws.ids.botUserId, text, blocks: normalizeBlocks(rawBlocks ?? [], seed), bot: true },
      root,
    );
  } else if (ctx.userId) {
    ws.ephemerals.push({
      channel: channel.id,
      user: ctx.userId,
      text,
      ...(rawBlocks ? { blocks: normalizeBlocks(rawBlocks, seed) } : {}),
      message_ts: ws.nextTs(),
    });
  }
  return { status: 200, text: 'ok', recorded: body };
}
