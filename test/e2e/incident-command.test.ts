import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ALICE,
  BOB,
  type BotHarness,
  GENERAL,
  incidentThread,
  startHarness,
} from '../support/bot-harness.js';

/** The body the bot posted to a response_url. */
async function answerTo(
  h: BotHarness,
  responseUrl: string,
): Promise<{ response_type?: string; text: string }> {
  const response = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl));
  return response.body as { response_type?: string; text: string };
}

describe('/incident subcommands', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(['help', '', 'HELP'])('answers %j with the usage, at once and only to the asker', async (text) => {
    const reply = await h.slash(text);
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('*Usage*');
    expect(body.text).toContain('`503`');
    for (const sub of ['status', 'list', 'resolve', 'help']) expect(body.text).toContain(`/incident ${sub}`);
    expect(body.text).not.toContain(':warning:');
  });

  it('says there is nothing open when asked for status outside an incident channel', async () => {
    const reply = await h.slash('status');
    expect(reply.body).toBe('');
    const answer = await answerTo(h, reply.responseUrl);
    expect(answer).toEqual({ response_type: 'ephemeral', text: 'Open incidents: none.' });
  });

  it('explains where to run resolve when it is run outside an incident channel', async () => {
    const reply = await h.slash('resolve');
    const answer = await answerTo(h, reply.responseUrl);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('works in an incident channel: run it there');
    expect(h.slack.callsTo('conversations.create')).toEqual([]);
  });

  it('lists the open incidents, with their channels, from outside them', async () => {
    await h.slash('503 checkout is down', { user: BOB });
    const { channel } = await incidentThread(h.slack, (t) => t.some((m) => m.text.startsWith('P1 actions')));
    const reply = await h.slash('status', { channel: GENERAL, user: ALICE });
    const answer = await answerTo(h, reply.responseUrl);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(
      /^\*Open incidents\*\n• \*\d{8}-503-[a-z0-9]{4}\* HTTP 503 error spike — :mag: Investigating/,
    );
    expect(answer.text).toContain(`<#${channel.id}>`);
    expect(answer.text).toContain(`opened by <@${BOB}>`);
  });

  it('resolves in the incident channel once; a second resolve says it already is', async () => {
    const { channel } = await incidentThread(h.slack, () => true);
    // No check has run yet: resolving needs a reason, and then records it.
    const asked = await answerTo(h, (await h.slash('resolve', { channel: channel.id })).responseUrl);
    expect(asked.text).toMatch(/^:warning: Not resolved yet: \d+ recovery check\(s\) are not green\./);
    expect(asked.text).toContain('`/incident resolve <reason>`');
    const first = await answerTo(
      h,
      (await h.slash('resolve false alarm', { channel: channel.id })).responseUrl,
    );
    expect(first.text).toMatch(/^Incident \*.+\* resolved\.$/);
    const second = await answerTo(h, (await h.slash('resolve', { channel: channel.id })).responseUrl);
    expect(second.text).toContain('is already resolved');

    const status = await answerTo(h, (await h.slash('status')).responseUrl);
    expect(status.text).toBe('Open incidents: none.');
    const list = await answerTo(h, (await h.slash('list')).responseUrl);
    expect(list.text).toContain(':white_check_mark: Resolved');
  });
});
