import type { FakeBlock, FakeEphemeral, FakeMessage, FakeSlack } from './fake-slack-types.js';
import { mrkdwnToText, type RenderOptions, renderBlocks, styled } from './render-blocks.js';

export type { RenderOptions } from './render-blocks.js';

export interface TranscriptOptions extends RenderOptions {
  /** Also show ephemeral messages ("only visible to @user") where they were posted. @defaultValue false */
  ephemerals?: boolean;
}

const BODY_INDENT = '  ';
const REPLY_INDENT = '    ';

/** `HH:MM:SS` in UTC, so transcripts read the same on every machine. */
function clock(ts: string): string {
  return new Date(Number.parseFloat(ts) * 1000).toISOString().slice(11, 19);
}
const day = (ts: string) => new Date(Number.parseFloat(ts) * 1000).toISOString().slice(0, 10);

function author(user: string, options: RenderOptions): string {
  return `@${options.userNames?.[user] ?? user}`;
}

/**
 * A message as terminal text: a line with time, author and markers, then its blocks (or its text when it
 * has none) indented below. Thread replies are not included; `renderTranscript` places them.
 */
export function renderMessage(
  message: Pick<FakeMessage, 'ts' | 'text' | 'user' | 'edited' | 'pinned'> &
    Partial<Pick<FakeMessage, 'files' | 'reactions'>> & { blocks: readonly FakeBlock[] },
  options: RenderOptions = {},
): string {
  const markers = [message.edited ? '(edited)' : '', message.pinned ? '(pinned)' : '']
    .filter(Boolean)
    .join(' ');
  const head = [
    styled(clock(message.ts), ['dim'], options),
    styled(author(message.user, options), ['bold', 'cyan'], options),
    markers && styled(markers, ['dim'], options),
  ].filter(Boolean);
  const text =
    message.blocks.length > 0
      ? renderBlocks(message.blocks, options)
      : message.text || !message.files?.length
        ? mrkdwnToText(message.text, options).split('\n')
        : [];
  // Files and reactions as a reader sees them under the message.
  const files = (message.files ?? []).map((f) => `📎 ${f.name}${f.title !== f.name ? ` — ${f.title}` : ''}`);
  const reactions = (message.reactions ?? []).map((r) => `:${r.name}: ${r.count}`).join('  ');
  const body = [...text, ...files, ...(reactions ? [styled(reactions, ['dim'], options)] : [])];
  return [head.join(' '), ...body.map((line) => (line ? BODY_INDENT + line : ''))].join('\n');
}

function renderEphemeral(e: FakeEphemeral, botUserId: string, options: RenderOptions): string {
  const note = styled(`(only visible to ${author(e.user, options)})`, ['dim'], options);
  const rendered = renderMessage(
    { ts: e.message_ts, text: e.text, blocks: e.blocks ?? [], user: botUserId },
    options,
  );
  const [head = '', ...body] = rendered.split('\n');
  return [`${head} ${note}`, ...body].join('\n');
}

/** Slack ts strings have fixed-width seconds, so they sort as text without float rounding. */
const byTs = (a: { ts: string }, b: { ts: string }) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');

/**
 * The channel as a reader would see it: a header (name, id, members, topic, bookmarks), then every
 * top-level message in order with its thread replies indented under it, and a date line when the day
 * changes. Times are UTC.
 */
export function renderTranscript(
  fake: FakeSlack,
  channelId: string,
  options: TranscriptOptions = {},
): string {
  const opts: TranscriptOptions = {
    ...options,
    userNames: { [fake.botUserId]: 'firebreak', ...options.userNames },
  };
  const channel = fake.channels().find((c) => c.id === channelId);
  if (!channel) return `(no channel ${channelId})`;
  const members = channel.members.map((m) => author(m, opts)).join(', ');
  const out = [
    styled(`#${channel.name || channel.id}`, ['bold'], opts) +
      ` (${channel.id}) · members: ${members}${channel.archived ? ' · archived' : ''}`,
  ];
  if (channel.topic) out.push(`${BODY_INDENT}topic: ${mrkdwnToText(channel.topic, opts)}`);
  for (const b of fake.bookmarks(channelId)) out.push(`${BODY_INDENT}bookmark: ${b.title} → ${b.link ?? ''}`);
  out.push(styled('═'.repeat(60), ['dim'], opts));

  const ephemerals = opts.ephemerals ? fake.ephemerals().filter((e) => e.channel === channelId) : [];
  type Item = { ts: string; text: string };
  const entries: Item[] = [];
  for (const message of fake.messages(channelId)) {
    const replies: Item[] = message.replies.map((r) => ({ ts: r.ts, text: renderMessage(r, opts) }));
    for (const e of ephemerals.filter((x) => x.thread_ts === message.ts)) {
      replies.push({ ts: e.message_ts, text: renderEphemeral(e, fake.botUserId, opts) });
    }
    replies.sort(byTs);
    const thread = replies.map((r) => indent(`↳ ${r.text}`, REPLY_INDENT));
    entries.push({ ts: message.ts, text: [renderMessage(message, opts), ...thread].join('\n') });
  }
  for (const e of ephemerals.filter((x) => !x.thread_ts)) {
    entries.push({ ts: e.message_ts, text: renderEphemeral(e, fake.botUserId, opts) });
  }
  entries.sort(byTs);

  let lastDay = '';
  for (const entry of entries) {
    if (day(entry.ts) !== lastDay) {
      lastDay = day(entry.ts);
      out.push(styled(`── ${lastDay} (UTC) ──`, ['dim'], opts));
    }
    out.push(entry.text);
  }
  if (entries.length === 0) out.push(styled('(no messages)', ['dim'], opts));
  return out.join('\n');
}
