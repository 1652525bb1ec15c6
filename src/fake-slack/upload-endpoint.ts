import type { FakeWorkspace } from './fake-workspace.js';

export interface UploadReply {
  status: number;
  text: string;
}

/**
 * The bytes of a POST to an upload URL. Slack takes raw bytes or a multipart form; web-api's
 * `filesUploadV2` sends a multipart form whose one file field (`body`, named `Untitled`) holds the data.
 */
async function uploadedBytes(contentType: string, raw: Buffer): Promise<Buffer | undefined> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}

/**
 * Answers a POST to `/upload/v1/<ticket>` as Slack's file service does: `200 OK - <bytes>` once the bytes
 * are stored. An unknown or used ticket is 404; bytes that do not match the `length` declared to
 * files.getUploadURLExternal are refused with 400, so a wrong length fails loudly here.
 */
export async function handleUpload(
  ws: FakeWorkspace,
  ticket: string,
  contentType: string,
  raw: Buffer,
): Promise<UploadReply> {
  const record = [...ws.files.values()].find((f) => f.ticket === ticket);
  if (!record || record.content) return { status: 404, text: 'upload_url_not_found' };
  const bytes = await uploadedBytes(contentType, raw);
  if (!bytes) return { status: 400, text: 'no_file_data' };
  if (bytes.length !== record.length) {
    return {
      status: 400,
      text: `length_mismatch: files.getUploadURLExternal declared ${record.length} bytes, received ${bytes.length}`,
    };
  }
  record.content = bytes;
  return { status: 200, text: `OK - ${bytes.length}` };
}
