import { describe, expect, it } from 'vitest';
import { platformError, useFakeSlack } from './use-fake-slack.js';

const slack = useFakeSlack();
const ALICE = 'U0ALICE001';

describe('files: the v2 upload', () => {
  it('filesUploadV2 runs end to end: URL, bytes, completion shares the file into the thread', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const parent = await web.chat.postMessage({ channel: id, text: 'INC-1' });
    const output = 'line 1\nline 2 — 503s\n';
    const done = await web.filesUploadV2({
      channel_id: id,
      thread_ts: parent.ts ?? '',
      content: output,
      filename: 'restart-output.txt',
      title: 'Restart output',
      initial_comment: 'Full output of step 2',
    });
    expect(done.ok).toBe(true);
    const [file] = slack.fake.files();
    expect(file).toMatchObject({
      name: 'restart-output.txt',
      title: 'Restart output',
      text: output,
      length: Buffer.byteLength(output),
      state: 'completed',
      channel: id,
      thread_ts: parent.ts,
      initial_comment: 'Full output of step 2',
    });
    expect(file?.content?.equals(Buffer.from(output))).toBe(true);
    const [shared] = slack.fake.thread(id, parent.ts ?? '');
    expect(shared).toMatchObject({ text: 'Full output of step 2', upload: true, ts: file?.message_ts });
    expect(shared?.files?.[0]).toMatchObject({
      id: file?.id,
      name: 'restart-output.txt',
      mimetype: 'text/plain',
    });
    // files.info shows where it was shared, which the completion answer does not yet.
    const info = await web.files.info({ file: file?.id ?? '' });
    expect(info.file?.shares?.public?.[id]?.[0]).toMatchObject({
      ts: file?.message_ts,
      thread_ts: parent.ts,
    });
  });

  it('uploads binary data and a file with no channel stays private', async () => {
    const web = slack.client();
    const bytes = Buffer.from([0, 255, 1, 254, 2]);
    await web.filesUploadV2({ file: bytes, filename: 'dump.bin' });
    const [file] = slack.fake.files();
    expect(file?.content?.equals(bytes)).toBe(true);
    expect(file).toMatchObject({ state: 'completed', title: 'dump.bin' });
    expect(file?.channel).toBeUndefined();
  });

  it('follows the three steps by hand, as Slack documents them, with raw bytes', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const got = await web.files.getUploadURLExternal({ filename: 'a.json', length: 2 });
    expect(got.file_id).toMatch(/^F[A-Z0-9]+$/);
    expect(got.upload_url).toMatch(new RegExp(`^${slack.apiUrl.replace('/api/', '')}/upload/v1/`));
    expect(slack.fake.files()[0]?.state).toBe('awaiting_upload');
    expect(
      await platformError(web.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }] })),
    ).toBe('file_not_found');
    const upload = await fetch(got.upload_url ?? '', { method: 'POST', body: '{}' });
    expect([upload.status, await upload.text()]).toEqual([200, 'OK - 2']);
    expect(slack.fake.files()[0]?.state).toBe('uploaded');
    const done = await web.files.completeUploadExternal({
      files: [{ id: got.file_id ?? '', title: 'State' }],
      channel_id: id,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*state*' } }],
    });
    expect(done.files?.[0]).toMatchObject({ id: got.file_id, title: 'State', filetype: 'json' });
    expect(slack.fake.messages(id)[0]?.blocks[0]).toMatchObject({ type: 'section' });
    // Completed once: the ticket is spent.
    expect(
      await platformError(web.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }] })),
    ).toBe('file_not_found');
  });

  it('refuses bytes that do not match the declared length, and unknown upload URLs', async () => {
    const web = slack.client();
    const got = await web.files.getUploadURLExternal({ filename: 'a.txt', length: 10 });
    const short = await fetch(got.upload_url ?? '', { method: 'POST', body: 'abc' });
    expect(short.status).toBe(400);
    expect(await short.text()).toMatch(/declared 10 bytes, received 3/);
    expect(slack.fake.files()[0]?.state).toBe('awaiting_upload');
    const unknown = await fetch(`${slack.apiUrl.replace('/api/', '')}/upload/v1/abcdef`, {
      method: 'POST',
      body: 'x',
    });
    expect(unknown.status).toBe(404);
  });

  it("answers Slack's errors for arguments, files and channels", async () => {
    const web = slack.client();
    const call = (method: string, args: Record<string, unknown>) => platformError(web.apiCall(method, args));
    expect(await call('files.getUploadURLExternal', { length: 3 })).toBe('invalid_arguments');
    expect(await call('files.getUploadURLExternal', { filename: 'a.txt' })).toBe('invalid_arguments');
    expect(await call('files.getUploadURLExternal', { filename: 'a.txt', length: 0 })).toBe(
      'missing_argument',
    );
    expect(
      await call('files.getUploadURLExternal', { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1001) }),
    ).toBe('alt_txt_too_large');
    expect(await call('files.completeUploadExternal', { files: [{ id: 'F0NOPE' }] })).toBe('file_not_found');
    expect(await call('files.completeUploadExternal', { files: '[]' })).toBe('invalid_arguments');

    const got = await web.files.getUploadURLExternal({ filename: 'a.txt', length: 1 });
    await fetch(got.upload_url ?? '', { method: 'POST', body: 'x' });
    const files = [{ id: got.file_id ?? '' }];
    expect(await call('files.completeUploadExternal', { files, channel_id: 'C0NOPE' })).toBe(
      'channel_not_found',
    );
    const outside = slack.fake.addChannel('ops', { members: [ALICE], botIsMember: false });
    expect(await call('files.completeUploadExternal', { files, channel_id: outside })).toBe('not_in_channel');
    const { channel } = await web.conversations.create({ name: 'inc-old' });
    await web.conversations.archive({ channel: channel?.id ?? '' });
    expect(await call('files.completeUploadExternal', { files, channel_id: channel?.id })).toBe(
      'is_archived',
    );
    const open = slack.fake.addChannel('incidents');
    expect(
      await call('files.completeUploadExternal', { files, channel_id: open, thread_ts: '1.000001' }),
    ).toBe('invalid_arguments');
    // None of the refused completions used the upload up.
    expect(
      (await web.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }], channel_id: open })).ok,
    ).toBe(true);
    expect(await call('files.info', { file: 'F0NOPE' })).toBe('file_not_found');
  });
});
