import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { platformError, useFakeSlack } from './use-fake-slack.js';

const slack = useFakeSlack();
const ALICE = 'U0ALICE001';
const entry = (n: number) => ({
  event_type: 'firebreak_timeline_entry',
  event_payload: { incident: 'inc-1', seq: n },
});

async function postMany(web: WebClient, channel: string, count: number): Promise<string[]> {
  const ts: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const posted = await web.chat.postMessage({ channel, text: `m${i}`, metadata: entry(i) });
    ts.push(posted.ts ?? '');
  }
  return ts;
}

describe('message metadata', () => {
  it('is stored by postMessage and update, and read back only with include_all_metadata', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const posted = await web.chat.postMessage({ channel: id, text: 'entry', metadata: entry(1) });
    expect(posted.message?.metadata).toEqual(entry(1));
    expect(slack.fake.messages(id)[0]?.metadata).toEqual(entry(1));

    const plain = await web.conversations.history({ channel: id });
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');
    const full = await web.conversations.history({ channel: id, include_all_metadata: true });
    expect(full.messages?.[0]?.metadata).toEqual(entry(1));

    await web.chat.update({ channel: id, ts: posted.ts ?? '', text: 'edited' }); // keeps it
    expect(slack.fake.messages(id)[0]?.metadata).toEqual(entry(1));
    await web.chat.update({ channel: id, ts: posted.ts ?? '', text: 'again', metadata: entry(2) });
    expect(slack.fake.messages(id)[0]?.metadata).toEqual(entry(2));
  });

  it('refuses metadata Slack refuses', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const bad = (metadata: unknown) => web.apiCall('chat.postMessage', { channel: id, text: 'x', metadata });
    expect(await platformError(bad('{not json'))).toBe('invalid_metadata_format');
    expect(await platformError(bad({ event_payload: {} }))).toBe('invalid_metadata_schema');
    expect(await platformError(bad({ event_type: 'x', event_payload: 'text' }))).toBe(
      'invalid_metadata_schema',
    );
    expect(slack.fake.messages(id)).toHaveLength(0);
  });
});

describe('conversations.history', () => {
  it('lists newest first, pages with a cursor, and web-api paginate reads every page', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const ts = await postMany(web, id, 5);
    const first = await web.conversations.history({ channel: id, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m5', 'm4']);
    expect(first.has_more).toBe(true);
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(Buffer.from(cursor, 'base64').toString()).toBe(`next_ts:${ts[2]?.replace('.', '')}`);
    const second = await web.conversations.history({ channel: id, limit: 2, cursor });
    expect(second.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);

    const all: string[] = [];
    for await (const page of web.paginate('conversations.history', { channel: id, limit: 2 })) {
      all.push(...((page as { messages?: Array<{ text: string }> }).messages ?? []).map((m) => m.text));
    }
    expect(all).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    const last = await web.conversations.history({ channel: id, limit: 10 });
    expect(last).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
  });

  it('windows by oldest and latest, exclusive unless inclusive, paging forward from oldest alone', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const [t1 = '', t2 = '', t3 = '', t4 = ''] = await postMany(web, id, 5);
    const texts = async (args: Record<string, unknown>) =>
      (await web.conversations.history({ channel: id, ...args })).messages?.map((m) => m.text);
    expect(await texts({ oldest: t1, latest: t4 })).toEqual(['m3', 'm2']);
    expect(await texts({ oldest: t1, latest: t4, inclusive: true })).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(await texts({ latest: t3, limit: 1 })).toEqual(['m2']);
    // Only oldest: the page closest to oldest, still newest first.
    expect(await texts({ oldest: t2, limit: 2 })).toEqual(['m4', 'm3']);
    const echoed = await web.conversations.history({ channel: id, latest: t3 });
    expect(echoed.latest).toBe(t3);
  });

  it('leaves thread replies out, summarizing them on the parent', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents', { members: [ALICE] });
    const parent = await web.chat.postMessage({ channel: id, text: 'header' });
    await web.chat.postMessage({ channel: id, thread_ts: parent.ts ?? '', text: 'entry 1' });
    slack.fake.postAsUser(id, ALICE, 'on it', parent.ts);
    const history = await web.conversations.history({ channel: id });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({
      reply_count: 2,
      reply_users_count: 2,
      thread_ts: parent.ts,
    });
  });

  it("answers Slack's errors", async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const outside = slack.fake.addChannel('ops', { members: [ALICE], botIsMember: false });
    expect(await platformError(web.conversations.history({ channel: 'C0NOPE' }))).toBe('channel_not_found');
    expect(await platformError(web.conversations.history({ channel: outside }))).toBe('not_in_channel');
    expect(await platformError(web.conversations.history({ channel: id, latest: 'soon' }))).toBe(
      'invalid_ts_latest',
    );
    expect(await platformError(web.conversations.history({ channel: id, oldest: '1.x' }))).toBe(
      'invalid_ts_oldest',
    );
    expect(await platformError(web.conversations.history({ channel: id, cursor: 'bm9wZQ==' }))).toBe(
      'invalid_cursor',
    );
    const { channel } = await web.conversations.create({ name: 'secret', is_private: true });
    await web.conversations.archive({ channel: channel?.id ?? '' });
    // Archived channels stay readable.
    expect((await web.conversations.history({ channel: channel?.id ?? '' })).ok).toBe(true);
  });
});

describe('conversations.replies', () => {
  it('returns the parent then replies in order, pages them, and carries metadata on request', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const parent = await web.chat.postMessage({ channel: id, text: 'header', metadata: entry(0) });
    const thread = parent.ts ?? '';
    for (let i = 1; i <= 4; i += 1)
      await web.chat.postMessage({ channel: id, thread_ts: thread, text: `r${i}`, metadata: entry(i) });
    const first = await web.conversations.replies({ channel: id, ts: thread, limit: 3 });
    expect(first.messages?.map((m) => m.text)).toEqual(['header', 'r1', 'r2']);
    expect(first.messages?.[1]).toMatchObject({ thread_ts: thread, parent_user_id: slack.fake.botUserId });
    expect(first.messages?.[1]).not.toHaveProperty('metadata');
    expect(first.has_more).toBe(true);
    const next = await web.conversations.replies({
      channel: id,
      ts: thread,
      limit: 3,
      cursor: first.response_metadata?.next_cursor ?? '',
      include_all_metadata: true,
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['r3', 'r4']);
    expect(next.messages?.map((m) => m.metadata)).toEqual([entry(3), entry(4)]);
    expect(next.has_more).toBe(false);

    const found = (await web.conversations.replies({ channel: id, ts: thread, include_all_metadata: true }))
      .messages;
    // The natural "was this entry already posted?" lookup after a lost answer.
    const seq = (m: { metadata?: { event_payload?: object } }) =>
      (m.metadata?.event_payload as { seq?: number })?.seq;
    expect(found?.find((m) => seq(m) === 2)?.text).toBe('r2');
  });

  it('windows replies by oldest/latest and answers thread_not_found', async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const parent = (await web.chat.postMessage({ channel: id, text: 'header' })).ts ?? '';
    const r1 = (await web.chat.postMessage({ channel: id, thread_ts: parent, text: 'r1' })).ts ?? '';
    await web.chat.postMessage({ channel: id, thread_ts: parent, text: 'r2' });
    const after = await web.conversations.replies({ channel: id, ts: parent, oldest: r1 });
    expect(after.messages?.map((m) => m.text)).toEqual(['header', 'r2']);
    const single = await web.conversations.replies({ channel: id, ts: r1 });
    expect(single.messages?.map((m) => m.text)).toEqual(['r1']);
    expect(await platformError(web.conversations.replies({ channel: id, ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
  });
});

describe('conversations.list', () => {
  it('finds a channel by name across pages, as the bot does after a lost conversations.create answer', async () => {
    const web = slack.client();
    for (let i = 0; i < 5; i += 1) slack.fake.addChannel(`team-${i}`);
    slack.fake.loseAnswerNext('conversations.create', { mode: 'drop' });
    await expect(web.conversations.create({ name: 'inc-20261124-503-k3f9' })).rejects.toThrow();
    const pages: number[] = [];
    let found: string | undefined;
    for await (const page of web.paginate('conversations.list', { limit: 2, exclude_archived: true })) {
      const channels = (page as { channels?: Array<{ id: string; name: string }> }).channels ?? [];
      pages.push(channels.length);
      found ??= channels.find((c) => c.name === 'inc-20261124-503-k3f9')?.id;
    }
    expect(pages).toEqual([2, 2, 2]);
    expect(found).toBe(slack.fake.channelByName('inc-20261124-503-k3f9')?.id);
  });

  it('filters by types and exclude_archived, and shows private channels only to members', async () => {
    const web = slack.client();
    const names = async (args: Record<string, unknown>) =>
      ((await web.conversations.list(args)).channels ?? []).map((c) => c.name ?? `im:${c.id}`);
    slack.fake.addChannel('incidents');
    const { channel } = await web.conversations.create({ name: 'inc-private', is_private: true });
    const old = await web.conversations.create({ name: 'inc-old' });
    await web.conversations.archive({ channel: old.channel?.id ?? '' });
    await web.chat.postMessage({ channel: ALICE, text: 'dm' });
    expect(await names({})).toEqual(['incidents', 'inc-old']);
    expect(await names({ exclude_archived: true })).toEqual(['incidents']);
    expect(await names({ types: 'private_channel' })).toEqual(['inc-private']);
    expect((await web.conversations.list({ types: 'im' })).channels?.[0]).toMatchObject({
      is_im: true,
      user: ALICE,
    });
    expect(await names({ types: 'public_channel,private_channel' })).toHaveLength(3);
    expect((await web.conversations.list({})).channels?.[0]).toMatchObject({
      num_members: 1,
      is_member: true,
    });
    expect(channel?.is_private).toBe(true);
  });

  it("answers Slack's errors", async () => {
    const web = slack.client();
    expect(await platformError(web.conversations.list({ types: 'public_channel,dm' }))).toBe('invalid_types');
    expect(await platformError(web.conversations.list({ cursor: 'dGVhbTpDMDAwTk9QRQ==' }))).toBe(
      'invalid_cursor',
    );
    expect(await platformError(web.apiCall('conversations.list', { limit: 'many' }))).toBe('invalid_limit');
  });
});
