import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { FakeFile, FakeFileObject } from './fake-slack-types.js';
import type { FakeWorkspace, FileRecord } from './fake-workspace.js';
import {
  type Args,
  channelById,
  fail,
  type Handler,
  isFailure,
  messageContent,
  str,
  writeBlocker,
} from './method-helpers.js';

/** Slack's limits: an image description of 1,000 characters, a snippet of 1 MB. */
const ALT_TXT_MAX = 1000;
const SNIPPET_MAX = 1024 * 1024;

/** A few types by extension, enough for the files a bot uploads (reports, logs, JSON). */
const TYPES: Record<string, { filetype: string; mimetype: string; pretty: string }> = {
  '.txt': { filetype: 'text', mimetype: 'text/plain', pretty: 'Plain Text' },
  '.log': { filetype: 'text', mimetype: 'text/plain', pretty: 'Plain Text' },
  '.md': { filetype: 'markdown', mimetype: 'text/plain', pretty: 'Markdown (raw)' },
  '.json': { filetype: 'json', mimetype: 'application/json', pretty: 'JSON' },
  '.csv': { filetype: 'csv', mimetype: 'text/csv', pretty: 'CSV' },
  '.png': { filetype: 'png', mimetype: 'image/png', pretty: 'PNG' },
  '.pdf': { filetype: 'pdf', mimetype: 'application/pdf', pretty: 'PDF' },
};
const BINARY = { filetype: 'binary', mimetype: 'application/octet-stream', pretty: 'Binary' };

const invalid = (message: string) =>
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });

/** The file as Slack's JSON describes it; `shares` only once it is shared, as `files.info` shows. */
export function fileObject(ws: FakeWorkspace, f: FileRecord, withShares = true): FakeFileObject {
  const type = TYPES[extname(f.name).toLowerCase()] ?? BINARY;
  const channel = f.channel ? ws.channels.get(f.channel) : undefined;
  const base = `https://files.fake.slack.test/files-pri/${ws.ids.teamId}-${f.id}/${encodeURIComponent(f.name)}`;
  const share = channel && {
    [channel.isPrivate || channel.isIm ? 'private' : 'public']: {
      [channel.id]: [
        {
          reply_users: [],
          reply_users_count: 0,
          reply_count: 0,
          ts: f.messageTs,
          channel_name: channel.name,
          team_id: ws.ids.teamId,
          share_user_id: ws.ids.botUserId,
          source: 'UNKNOWN',
          ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
        },
      ],
    },
  };
  return {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: type.mimetype,
    filetype: type.filetype,
    pretty_type: type.pretty,
    user: ws.ids.botUserId,
    user_team: ws.ids.teamId,
    editable: f.snippetType !== undefined,
    size: f.content?.length ?? f.length,
    mode: f.snippetType !== undefined ? 'snippet' : 'hosted',
    is_external: false,
    external_type: '',
    is_public: share !== undefined && 'public' in share,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: base,
    url_private_download: base.replace('/files-pri/', '/files-pri/download/'),
    permalink: `https://${ws.ids.teamDomain}.slack.com/files/${ws.ids.botUserId}/${f.id}/${encodeURIComponent(f.name)}`,
    has_rich_preview: false,
    file_access: 'visible',
    comments_count: 0,
    ...(f.altTxt ? { alt_txt: f.altTxt } : {}),
    ...(withShares
      ? {
          channels: channel && !channel.isPrivate && !channel.isIm ? [channel.id] : [],
          groups: channel?.isPrivate ? [channel.id] : [],
          ims: channel?.isIm ? [channel.id] : [],
          shares: share ?? {},
        }
      : {}),
  };
}

/** The files as a test reads them back: bytes, text, and where they were shared. */
export function filesOf(ws: FakeWorkspace): FakeFile[] {
  return [...ws.files.values()].map((f) => ({
    id: f.id,
    name: f.name,
    title: f.title,
    length: f.length,
    state: f.completed ? 'completed' : f.content ? 'uploaded' : 'awaiting_upload',
    ...(f.content ? { content: Buffer.from(f.content), text: f.content.toString('utf8') } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
    ...(f.messageTs ? { message_ts: f.messageTs } : {}),
    ...(f.initialComment !== undefined ? { initial_comment: f.initialComment } : {}),
    ...(f.altTxt ? { alt_txt: f.altTxt } : {}),
    ...(f.snippetType ? { snippet_type: f.snippetType } : {}),
  }));
}

/** `files` of files.completeUploadExternal: `[{id, title?}, …]`, sent as a JSON string in a form. */
function completions(args: Args): Array<{ id: string; title?: string }> | undefined {
  const raw = args.files;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const list = raw.map((f: unknown) => {
    const entry = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
    return typeof entry.id === 'string'
      ? { id: entry.id, ...(typeof entry.title === 'string' ? { title: entry.title } : {}) }
      : undefined;
  });
  return list.every((f) => f !== undefined) ? list : undefined;
}

/** files.*: the v2 upload (URL, bytes to it, completion that shares), and files.info. */
export const filesMethods: Record<string, Handler> = {
  'files.getUploadURLExternal': (ws, args) => {
    const filename = str(args, 'filename');
    const rawLength = str(args, 'length');
    if (!filename) return invalid('missing required field: filename');
    if (rawLength === undefined) return invalid('missing required field: length');
    const length = Number(rawLength);
    if (!Number.isInteger(length) || length < 0) return invalid('invalid `length`');
    if (length === 0) return fail('missing_argument');
    // Slack documents `alt_txt`; web-api's filesUploadV2 sends `alt_text`: both are read.
    const altTxt = str(args, 'alt_txt') ?? str(args, 'alt_text');
    if (altTxt && altTxt.length > ALT_TXT_MAX) return fail('alt_txt_too_large');
    const snippetType = str(args, 'snippet_type');
    if (snippetType && length > SNIPPET_MAX) return fail('snippet_too_large');
    const record: FileRecord = {
      id: ws.nextId('F'),
      ticket: randomBytes(12).toString('hex'),
      name: filename,
      title: filename,
      length,
      created: Math.floor(Date.now() / 1000),
      completed: false,
      ...(altTxt ? { altTxt } : {}),
      ...(snippetType ? { snippetType } : {}),
    };
    ws.files.set(record.id, record);
    return { ok: true, upload_url: `${ws.origin}/upload/v1/${record.ticket}`, file_id: record.id };
  },

  'files.completeUploadExternal': (ws, args) => {
    const wanted = completions(args);
    if (!wanted) return invalid('`files` must be a JSON array of {"id": "F…", "title": "…"}');
    const records = wanted.map((w) => ws.files.get(w.id));
    // Unknown, never uploaded, or already completed: Slack cannot find the upload for that ticket.
    if (records.some((r) => !r?.content || r.completed)) return fail('file_not_found');
    const channelId = str(args, 'channel_id') ?? str(args, 'channels');
    const channel = channelId ? channelById(ws, { channel: channelId }) : undefined;
    if (channelId) {
      const blocker = writeBlocker(ws, channel);
      if (blocker) return fail(blocker);
    }
    const threadTs = str(args, 'thread_ts');
    const parent = channel && threadTs ? ws.find(channel.id, threadTs) : undefined;
    if (threadTs && (!channel || !parent)) return invalid('invalid `thread_ts`');
    const initialComment = str(args, 'initial_comment');
    const ts = ws.nextTs();
    // Slack ignores `blocks` when there is an initial_comment.
    const content = initialComment === undefined ? messageContent({ ...args, text: ' ' }, `${ts}/files`) : {};
    if (isFailure(content)) return content;
    for (const [i, r] of records.entries()) {
      if (!r) continue;
      r.completed = true;
      const title = wanted[i]?.title;
      if (title) r.title = title;
      if (initialComment !== undefined) r.initialComment = initialComment;
    }
    if (channel) {
      const shared = records.filter((r): r is FileRecord => r !== undefined);
      for (const r of shared) {
        r.channel = channel.id;
        r.messageTs = ts;
        if (parent) r.threadTs = (parent.parent ?? parent.message).ts;
      }
      ws.post(
        channel.id,
        {
          user: ws.ids.botUserId,
          text: initialComment ?? '',
          blocks: content.blocks ?? [],
          ts,
          bot: true,
          files: shared.map((r) => fileObject(ws, r, false)),
        },
        parent?.parent ?? parent?.message,
      );
    }
    // Slack shares asynchronously: the answer lists the files, without shares yet.
    return {
      ok: true,
      files: records.flatMap((r) => (r ? [fileObject(ws, r, false)] : [])),
    };
  },

  'files.info': (ws, args) => {
    const record = ws.files.get(str(args, 'file') ?? '');
    if (!record?.completed) return fail('file_not_found');
    return {
      ok: true,
      file: fileObject(ws, record),
      comments: [],
      response_metadata: { next_cursor: '' },
    };
  },
};
