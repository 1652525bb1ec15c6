import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.js';
import { createSlackPeopleDirectory } from '../../../src/slack/slack-people-directory.js';
import { useFakeSlack } from '../fake-slack/use-fake-slack.js';

const slack = useFakeSlack();
const log = createLogger('silent');

describe('Slack user groups as the approval policy directory', () => {
  it('reads a group once through usergroups.users.list, then from its cache until it expires', async () => {
    const group = slack.fake.addUsergroup('sre-oncall', ['U0DANA0003', 'U0ERIN0004']);
    let now = 1_000;
    const directory = createSlackPeopleDirectory(slack.client(), log, { ttlMs: 60_000, now: () => now });
    const [first, second] = await Promise.all([directory.membersOf(group), directory.membersOf(group)]);
    expect(first).toEqual({ ok: true, members: ['U0DANA0003', 'U0ERIN0004'] });
    expect(second).toEqual(first);
    expect(await directory.membersOf(group)).toEqual(first);
    expect(slack.fake.callsTo('usergroups.users.list')).toHaveLength(1);
    now += 61_000;
    await directory.membersOf(group);
    expect(slack.fake.callsTo('usergroups.users.list')).toHaveLength(2);
  });

  it('says why a group could not be read, and asks again next time', async () => {
    const directory = createSlackPeopleDirectory(slack.client(), log);
    expect(await directory.membersOf('S0NOSUCH01')).toEqual({
      ok: false,
      reason: 'no such user group (or it is disabled)',
    });
    slack.fake.failNext('usergroups.users.list', { error: 'missing_scope' });
    const group = slack.fake.addUsergroup('leads', ['U0DANA0003']);
    expect(await directory.membersOf(group)).toEqual({
      ok: false,
      reason: 'the app lacks the usergroups:read scope',
    });
    expect(await directory.membersOf(group)).toEqual({ ok: true, members: ['U0DANA0003'] });
  });
});
