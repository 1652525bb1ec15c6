import { describe, expect, it } from 'vitest';
import { platformError, useFakeSlack } from './use-fake-slack.js';

const slack = useFakeSlack();
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';

describe('user groups', () => {
  it('lists groups with users and counts only when asked, and hides disabled ones', async () => {
    const web = slack.client();
    const oncall = slack.fake.addUsergroup('oncall-sre', [ALICE, BOB], { name: 'SRE on call' });
    slack.fake.addUsergroup('old-team', [BOB], { disabled: true });
    expect(oncall).toMatch(/^S[A-Z0-9]+$/);

    const plain = await web.usergroups.list();
    expect(plain.usergroups).toHaveLength(1);
    expect(plain.usergroups?.[0]).toMatchObject({
      id: oncall,
      handle: 'oncall-sre',
      name: 'SRE on call',
      is_usergroup: true,
      team_id: slack.fake.teamId,
      date_delete: 0,
    });
    expect(plain.usergroups?.[0]).not.toHaveProperty('users');
    expect(plain.usergroups?.[0]).not.toHaveProperty('user_count');
    const full = await web.usergroups.list({
      include_users: true,
      include_count: true,
      include_disabled: true,
    });
    expect(full.usergroups?.map((g) => [g.handle, g.users, g.user_count])).toEqual([
      ['oncall-sre', [ALICE, BOB], 2],
      ['old-team', [BOB], 1],
    ]);
  });

  it('lists a group’s users, and answers no_such_subteam for unknown or disabled groups', async () => {
    const web = slack.client();
    const oncall = slack.fake.addUsergroup('oncall', [ALICE]);
    const old = slack.fake.addUsergroup('old', [BOB], { disabled: true });
    expect((await web.usergroups.users.list({ usergroup: oncall })).users).toEqual([ALICE]);
    expect(await platformError(web.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
    expect(await platformError(web.usergroups.users.list({ usergroup: old }))).toBe('no_such_subteam');
    expect((await web.usergroups.users.list({ usergroup: old, include_disabled: true })).users).toEqual([
      BOB,
    ]);
    expect(await platformError(web.apiCall('usergroups.users.list', {}))).toBe('invalid_arguments');
  });

  it('refuses bad setup with the fix', () => {
    expect(() => slack.fake.addUsergroup('On Call', [ALICE])).toThrow(/not a Slack handle/);
    expect(() => slack.fake.addUsergroup('oncall', ['alice'])).toThrow(/not a user id/);
    slack.fake.addUsergroup('oncall', [ALICE]);
    expect(() => slack.fake.addUsergroup('oncall', [BOB])).toThrow(/already exists/);
  });
});

describe('reactions', () => {
  it("records a human's reaction, returns the reaction_added event, and shows it in reactions.get", async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const ts = (await web.chat.postMessage({ channel: id, text: 'Approve restart?' })).ts ?? '';
    const event = slack.fake.addReaction(id, ts, ALICE, 'eyes');
    expect(event).toMatchObject({
      type: 'reaction_added',
      user: ALICE,
      reaction: 'eyes',
      item: { type: 'message', channel: id, ts },
      item_user: slack.fake.botUserId,
    });
    expect(String(event.event_ts)).toMatch(/^\d{10}\.\d{6}$/);
    slack.fake.addReaction(id, ts, BOB, 'eyes');
    const got = await web.reactions.get({ channel: id, timestamp: ts });
    expect(got).toMatchObject({ type: 'message', channel: id });
    expect(got.message?.reactions).toEqual([{ name: 'eyes', users: [ALICE, BOB], count: 2 }]);
    const history = await web.conversations.history({ channel: id });
    expect(history.messages?.[0]?.reactions?.[0]?.count).toBe(2);
    expect(() => slack.fake.addReaction(id, ts, ALICE, 'eyes')).toThrow(/already reacted/);
    expect(() => slack.fake.addReaction(id, ts, ALICE, ':eyes:')).toThrow(/no colons/);
    expect(() => slack.fake.addReaction(id, '1.000001', ALICE, 'eyes')).toThrow(/no message/);
  });

  it("lets the bot react, with Slack's errors", async () => {
    const web = slack.client();
    const id = slack.fake.addChannel('incidents');
    const ts = (await web.chat.postMessage({ channel: id, text: 'done' })).ts ?? '';
    await web.reactions.add({ channel: id, timestamp: ts, name: 'white_check_mark' });
    expect(slack.fake.messages(id)[0]?.reactions).toEqual([
      { name: 'white_check_mark', users: [slack.fake.botUserId], count: 1 },
    ]);
    expect(
      await platformError(web.reactions.add({ channel: id, timestamp: ts, name: 'white_check_mark' })),
    ).toBe('already_reacted');
    expect(await platformError(web.reactions.add({ channel: id, timestamp: ts, name: ':x:' }))).toBe(
      'invalid_name',
    );
    expect(await platformError(web.reactions.add({ channel: id, timestamp: '1.000001', name: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await platformError(web.reactions.get({ channel: 'C0NOPE', timestamp: ts }))).toBe(
      'channel_not_found',
    );
    expect(await platformError(web.apiCall('reactions.get', { channel: id }))).toBe('no_item_specified');
  });
});
