import {
  ErrorCode,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSlack } from '../../src/fake-slack/fake-slack-server.js';
import type { FakeSlack } from '../../src/fake-slack/fake-slack-types.js';
import { renderTranscript } from '../../src/fake-slack/render-transcript.js';

const TOKEN = 'xoxb-test-token';
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';

let fake: FakeSlack;
let apiUrl: string;

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** A WebClient as the bot builds one, pointed at the fake; no retries unless a test asks. */
function client(token: string | null = TOKEN, options: WebClientOptions = {}): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    logger: silent,
    ...options,
  });
}

/** The platform error code of a rejected call (fails the test if the call did not fail that way). */
async function platformError(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebAPIPlatformError);
  return (err as WebAPIPlatformError).data.error;
}

beforeEach(async () => {
  fake = createFakeSlack({ botToken: TOKEN });
  apiUrl = await fake.start();
});

afterEach(async () => {
  await fake.stop();
});

describe('fake Slack Web API', () => {
  it('serves on 127.0.0.1 and answers auth.test like Slack', async () => {
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const auth = await client().auth.test();
    expect(auth).toMatchObject({
      ok: true,
      user_id: fake.botUserId,
      team_id: fake.teamId,
      bot_id: fake.botId,
    });
  });

  it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
    expect(await platformError(client('xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await platformError(client(null).auth.test())).toBe('not_authed');
    expect(fake.calls.map((c) => c.error)).toEqual(['invalid_auth', 'not_authed']);
  });

  it('answers unknown_method for a method it does not know', async () => {
    expect(await platformError(client().apiCall('conversations.frobnicate', {}))).toBe('unknown_method');
  });

  it('creates a channel the bot is in, and refuses taken or invalid names', async () => {
    const web = client();
    const created = await web.conversations.create({ name: 'inc-42-checkout' });
    expect(created.channel).toMatchObject({ name: 'inc-42-checkout', is_channel: true, is_member: true });
    expect(created.channel?.id).toMatch(/^C[A-Z0-9]+$/);
    expect(fake.channelByName('inc-42-checkout')?.members).toEqual([fake.botUserId]);

    expect(await platformError(web.conversations.create({ name: 'inc-42-checkout' }))).toBe('name_taken');
    expect(await platformError(web.conversations.create({ name: 'Inc 42' }))).toBe('invalid_name_specials');
    expect(await platformError(web.conversations.create({ name: 'x'.repeat(81) }))).toBe(
      'invalid_name_maxlength',
    );
    expect(await platformError(web.conversations.create({ name: '' }))).toBe('invalid_name_required');

    await web.conversations.archive({ channel: created.channel?.id ?? '' });
    expect(await platformError(web.conversations.create({ name: 'inc-42-checkout' }))).toBe('name_taken');
  });

  it('invites users, and answers already_in_channel when all of them are in', async () => {
    const web = client();
    const { channel } = await web.conversations.create({ name: 'inc-1' });
    const id = channel?.id ?? '';
    await web.conversations.invite({ channel: id, users: `${ALICE},${BOB}` });
    expect(fake.channels()[0]?.members).toEqual([fake.botUserId, ALICE, BOB]);
    expect(await platformError(web.conversations.invite({ channel: id, users: ALICE }))).toBe(
      'already_in_channel',
    );
    const carol = 'U0CAROL001';
    await web.conversations.invite({ channel: id, users: `${ALICE},${carol}` }); // partly new: fine
    expect(await platformError(web.conversations.invite({ channel: 'C0NOPE', users: ALICE }))).toBe(
      'channel_not_found',
    );
    expect(await platformError(web.conversations.invite({ channel: id, users: fake.botUserId }))).toBe(
      'cant_invite_self',
    );
    await web.conversations.archive({ channel: id });
    expect(await platformError(web.conversations.invite({ channel: id, users: 'U0DAVE0001' }))).toBe(
      'is_archived',
    );
  });

  it('posts, replies in a thread, and updates, keeping ts and marking the edit', async () => {
    const web = client();
    const { channel } = await web.conversations.create({ name: 'inc-2' });
    const id = channel?.id ?? '';
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Incident* declared' } }];
    const parent = await web.chat.postMessage({ channel: id, text: 'Incident declared', blocks });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(parent.message).toMatchObject({
      text: 'Incident declared',
      user: fake.botUserId,
      bot_id: fake.botId,
    });
    // web-api sends blocks as a JSON string inside the form; the fake stores objects, with Slack's block_id.
    expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
    expect(fake.messages(id)[0]?.blocks[0]?.block_id).toMatch(/^\w+$/);

    const reply = await web.chat.postMessage({ channel: id, thread_ts: parent.ts ?? '', text: 'step 1' });
    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    // A reply's ts as thread_ts still lands in the parent's thread.
    await web.chat.postMessage({ channel: id, thread_ts: reply.ts ?? '', text: 'step 2' });
    expect(fake.thread(id, parent.ts ?? '').map((m) => m.text)).toEqual(['step 1', 'step 2']);
    expect(await platformError(web.chat.postMessage({ channel: id, thread_ts: '1.000001', text: 'x' }))).toBe(
      'thread_not_found',
    );

    const updated = await web.chat.update({ channel: id, ts: parent.ts ?? '', text: 'Incident resolved' });
    expect(updated.ts).toBe(parent.ts);
    const [stored] = fake.messages(id);
    expect(stored).toMatchObject({ ts: parent.ts, text: 'Incident resolved', blocks: [{ type: 'section' }] });
    expect(stored?.edited?.user).toBe(fake.botUserId);
    expect(await platformError(web.chat.update({ channel: id, ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    const human = fake.postAsUser(id, ALICE, 'looking');
    expect(await platformError(web.chat.update({ channel: id, ts: human, text: 'x' }))).toBe(
      'cant_update_message',
    );
    expect(await platformError(web.chat.postMessage({ channel: id, text: '' }))).toBe('no_text');
  });

  it('refuses to post where the bot cannot, but posts to a pre-created channel and by #name', async () => {
    const web = client();
    expect(await platformError(web.chat.postMessage({ channel: 'C0MISSING', text: 'x' }))).toBe(
      'channel_not_found',
    );
    const announce = fake.addChannel('incidents');
    await web.chat.postMessage({ channel: announce, text: 'new incident' });
    await web.chat.postMessage({ channel: '#incidents', text: 'by name' });
    expect(fake.messages(announce).map((m) => m.text)).toEqual(['new incident', 'by name']);

    const { channel } = await web.conversations.create({ name: 'inc-3' });
    await web.conversations.archive({ channel: channel?.id ?? '' });
    expect(await platformError(web.chat.postMessage({ channel: channel?.id ?? '', text: 'x' }))).toBe(
      'is_archived',
    );

    const fresh = fake.addChannel('general', { members: [ALICE] });
    const info = await web.conversations.info({ channel: fresh, include_num_members: true });
    expect(info.channel).toMatchObject({ name: 'general', is_member: true, num_members: 2 });
  });

  it('answers not_in_channel where the bot is not a member, until it joins', async () => {
    const web = client();
    const id = fake.addChannel('ops', { members: [ALICE], botIsMember: false });
    expect(await platformError(web.chat.postMessage({ channel: id, text: 'x' }))).toBe('not_in_channel');
    expect(await platformError(web.conversations.invite({ channel: id, users: BOB }))).toBe('not_in_channel');
    expect((await web.conversations.info({ channel: id })).channel?.is_member).toBe(false);
    await web.conversations.join({ channel: id });
    const again = await web.conversations.join({ channel: id });
    expect(again.warning).toBe('already_in_channel');
    await web.chat.postMessage({ channel: id, text: 'joined' });
    expect(fake.messages(id).map((m) => m.text)).toEqual(['joined']);
  });

  it('posts ephemerals only to members, returning message_ts', async () => {
    const web = client();
    const announce = fake.addChannel('incidents');
    const eph = await web.chat.postEphemeral({ channel: announce, user: ALICE, text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals()).toEqual([
      { channel: announce, user: ALICE, text: 'only you', message_ts: eph.message_ts },
    ]);
    const { channel } = await web.conversations.create({ name: 'inc-4' });
    expect(
      await platformError(web.chat.postEphemeral({ channel: channel?.id ?? '', user: BOB, text: 'x' })),
    ).toBe('user_not_in_channel');
  });

  it('gives permalinks, pins, bookmarks and users like Slack', async () => {
    const web = client();
    const { channel } = await web.conversations.create({ name: 'inc-5' });
    const id = channel?.id ?? '';
    const posted = await web.chat.postMessage({ channel: id, text: 'summary' });
    const link = await web.chat.getPermalink({ channel: id, message_ts: posted.ts ?? '' });
    expect(link.permalink).toBe(`https://fake.slack.test/archives/${id}/p${posted.ts?.replace('.', '')}`);
    await web.pins.add({ channel: id, timestamp: posted.ts ?? '' });
    expect(fake.messages(id)[0]?.pinned).toBe(true);
    expect(await platformError(web.pins.add({ channel: id, timestamp: posted.ts ?? '' }))).toBe(
      'already_pinned',
    );
    const added = await web.bookmarks.add({
      channel_id: id,
      title: 'Runbook',
      type: 'link',
      link: 'https://rb/1',
    });
    expect(added.bookmark).toMatchObject({ title: 'Runbook', link: 'https://rb/1', channel_id: id });
    expect(fake.bookmarks(id)).toHaveLength(1);
    const user = await web.users.info({ user: ALICE });
    expect(user.user).toMatchObject({ id: ALICE, name: 'u0alice001', is_bot: false });
    expect(await platformError(web.users.info({ user: 'nobody' }))).toBe('user_not_found');
  });

  it('refuses blocks Slack would refuse, with Slack-style errors', async () => {
    const web = client();
    const id = fake.addChannel('incidents');
    const header = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    const err = await web.chat
      .postMessage({ channel: id, text: 'x', blocks: header })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect((err as WebAPIPlatformError).data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
  });

  it('accepts JSON bodies with a Bearer token, as Slack does', async () => {
    const id = fake.addChannel('incidents');
    const res = await fetch(`${apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: id, text: 'from json' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: id });
  });
});

describe('injected failures', () => {
  it('fails the next call with a platform error, then recovers', async () => {
    const web = client();
    fake.failNext('auth.test', { error: 'internal_error' });
    const err = await web.auth.test().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect((err as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
    expect((await web.auth.test()).ok).toBe(true);
  });

  it('answers 429 with Retry-After; web-api waits and retries', async () => {
    const id = fake.addChannel('incidents');
    fake.failNext('chat.postMessage', { rateLimited: 1 });
    const web = client(TOKEN, {
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      rejectRateLimitedCalls: false,
    });
    const started = Date.now();
    const posted = await web.chat.postMessage({ channel: id, text: 'eventually' });
    expect(posted.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(fake.messages(id)).toHaveLength(1);
  });

  it('surfaces a 429 as WebAPIRateLimitedError when the client rejects rate-limited calls', async () => {
    fake.failNext('chat.update', { rateLimited: 7 });
    const err = await client(TOKEN, { rejectRateLimitedCalls: true })
      .chat.update({ channel: 'C1', ts: '1.1', text: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(7);
  });

  it('answers a 5xx, which web-api surfaces as WebAPIHTTPError', async () => {
    fake.failNext('conversations.create', { status: 503 }, 2);
    const web = client();
    for (let i = 0; i < 2; i += 1) {
      const err = await web.conversations.create({ name: 'inc-9' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebAPIHTTPError);
      expect((err as WebAPIHTTPError).statusCode).toBe(503);
    }
    expect((await web.conversations.create({ name: 'inc-9' })).ok).toBe(true);
  });
});

describe('response URLs, waitFor and the transcript', () => {
  it('records posts, applies in_channel and replace_original, and expires after 5 uses', async () => {
    const id = fake.addChannel('incidents');
    const web = client();
    const posted = await web.chat.postMessage({ channel: id, text: 'Approve step 1?' });
    const url = fake.responseUrl({ channelId: id, messageTs: posted.ts ?? '', userId: ALICE });
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect(await (await post({ text: 'just you' })).text()).toBe('ok');
    await post({ replace_original: true, text: 'Step 1 approved by Alice' });
    await post({ response_type: 'in_channel', text: 'Running step 1' });
    expect(fake.ephemerals().map((e) => e.text)).toEqual(['just you']);
    expect(fake.messages(id).map((m) => m.text)).toEqual(['Step 1 approved by Alice', 'Running step 1']);
    expect(fake.responses().map((r) => r.body)).toHaveLength(3);
    await post({ text: '4' });
    await post({ text: '5' });
    const sixth = await post({ text: '6' });
    expect(sixth.status).toBe(404);
  });

  it('waitFor resolves with the predicate value, and times out listing the last calls', async () => {
    const id = fake.addChannel('incidents');
    const web = client();
    setTimeout(() => void web.chat.postMessage({ channel: id, text: 'later' }), 30);
    const message = await fake.waitFor(() => fake.messages(id).find((m) => m.text === 'later'));
    expect(message.text).toBe('later');
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/chat\.postMessage → ok/);
  });

  it('renders a channel with its thread as text', async () => {
    const web = client();
    const { channel } = await web.conversations.create({ name: 'inc-7' });
    const id = channel?.id ?? '';
    await web.conversations.invite({ channel: id, users: ALICE });
    const parent = await web.chat.postMessage({
      channel: id,
      text: 'Incident',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'INC-7 checkout down' } }],
    });
    await web.chat.postMessage({ channel: id, thread_ts: parent.ts ?? '', text: 'Step 1 done' });
    fake.postAsUser(id, ALICE, 'on it <@U0FBBOT001>', parent.ts);
    const text = renderTranscript(fake, id)
      .replace(/\d\d:\d\d:\d\d/g, 'HH:MM:SS')
      .replace(/\d{4}-\d\d-\d\d/, 'DAY');
    expect(text).toBe(
      [
        `#inc-7 (${id}) · members: @firebreak, @${ALICE}`,
        '═'.repeat(60),
        '── DAY (UTC) ──',
        'HH:MM:SS @firebreak',
        '  == INC-7 checkout down ==',
        '    ↳ HH:MM:SS @firebreak',
        '      Step 1 done',
        `    ↳ HH:MM:SS @${ALICE}`,
        '      on it @firebreak',
      ].join('\n'),
    );
  });

  it('stop() closes keep-alive sockets so nothing keeps the process alive', async () => {
    await client().auth.test();
    await fake.stop();
    await expect(fetch(`${apiUrl}auth.test`, { method: 'POST' })).rejects.toThrow();
  });
});
