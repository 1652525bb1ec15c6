import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { View } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventCallbackBody,
  sendToBot,
  slashCommandBody,
  urlVerificationBody,
  viewSubmissionBody,
} from '../../../src/fake-slack/index.js';
import { TOKEN, useFakeSlack } from './use-fake-slack.js';

/**
 * The request builders against a real Bolt app (the bot's framework): if Bolt accepts, verifies and
 * routes what they build, the shapes are the ones Slack sends.
 */
const slack = useFakeSlack();
const SECRET = 'test-signing-secret';
const ALICE = 'U0ALICE001';

const noteModal: View = {
  type: 'modal',
  callback_id: 'incident_note',
  title: { type: 'plain_text', text: 'Add a note' },
  submit: { type: 'plain_text', text: 'Save' },
  private_metadata: 'inc-1',
  blocks: [
    {
      type: 'input',
      block_id: 'note',
      label: { type: 'plain_text', text: 'Note' },
      element: { type: 'plain_text_input', action_id: 'text' },
    },
  ],
};

interface Seen {
  events: Array<{ type: string; retryNum?: number | undefined; retryReason?: string | undefined }>;
  submissions: Array<{ metadata: string; values: unknown; user: string }>;
}

let app: App;
let botUrl: string;
let seen: Seen;

beforeEach(async () => {
  seen = { events: [], submissions: [] };
  app = new App({
    signingSecret: SECRET,
    authorize: async () => ({ botToken: TOKEN, botId: slack.fake.botId, botUserId: slack.fake.botUserId }),
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/incident', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: noteModal });
  });
  app.view('incident_note', async ({ ack, view, body }) => {
    const text = view.state.values.note?.text?.value ?? '';
    seen.submissions.push({ metadata: view.private_metadata, values: view.state.values, user: body.user.id });
    if (text.trim() === '') await ack({ response_action: 'errors', errors: { note: 'Write something' } });
    else if (text === 'more')
      await ack({ response_action: 'push', view: { ...noteModal, callback_id: 'more' } });
    else await ack();
  });
  app.event('reaction_added', async ({ event, context }) => {
    seen.events.push({ type: event.type, retryNum: context.retryNum, retryReason: context.retryReason });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    seen.events.push({ type: event.type });
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No open incidents' } }],
      },
    });
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await app.stop();
});

async function openNoteModal(): Promise<string> {
  const body = slashCommandBody({ text: 'note', userId: ALICE, channelId: 'C0INCIDENT', responseUrl: 'x' });
  expect((await sendToBot(botUrl, SECRET, body)).status).toBe(200);
  const [view] = await slack.fake.waitFor(() => {
    const open = slack.fake.openViews(ALICE);
    return open.length > 0 && open;
  });
  return view?.id ?? '';
}

describe('modals through Bolt', () => {
  it('the slash command trigger opens the modal; a submission with errors keeps it open', async () => {
    const viewId = await openNoteModal();
    const [view] = slack.fake.openViews(ALICE);
    const values = { note: { text: { type: 'plain_text_input', value: ' ' } } };
    const reply = await sendToBot(
      botUrl,
      SECRET,
      viewSubmissionBody({ userId: ALICE, view: view ?? never(), values }),
    );
    expect(seen.submissions).toEqual([{ metadata: 'inc-1', values, user: ALICE }]);
    const answer = slack.fake.applyViewSubmissionAnswer(viewId, reply);
    expect(answer).toEqual({ response_action: 'errors', errors: { note: 'Write something' } });
    expect(slack.fake.views()[0]).toMatchObject({ open: true, errors: { note: 'Write something' } });
  });

  it('an empty ack closes the submitted view; push stacks a new one', async () => {
    const viewId = await openNoteModal();
    const [view = never()] = slack.fake.openViews(ALICE);
    const submit = (value: string) =>
      sendToBot(
        botUrl,
        SECRET,
        viewSubmissionBody({
          userId: ALICE,
          view,
          values: { note: { text: { type: 'plain_text_input', value } } },
        }),
      );
    expect(slack.fake.applyViewSubmissionAnswer(viewId, await submit('more'))).toMatchObject({
      response_action: 'push',
    });
    expect(slack.fake.openViews(ALICE).map((v) => v.callback_id)).toEqual(['incident_note', 'more']);
    expect(slack.fake.applyViewSubmissionAnswer(viewId, await submit('done'))).toEqual({
      response_action: 'none',
    });
    expect(slack.fake.openViews(ALICE)).toEqual([]);
    expect(() => slack.fake.applyViewSubmissionAnswer(viewId, { status: 200, body: '' })).toThrow(
      /already closed/,
    );
  });
});

describe('Events API through Bolt', () => {
  it('answers url_verification with the challenge', async () => {
    const reply = await sendToBot(
      botUrl,
      SECRET,
      urlVerificationBody('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'),
    );
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it("routes a human's reaction, and marks Slack's re-delivery with the retry headers", async () => {
    const channel = slack.fake.addChannel('incidents');
    const ts = (await slack.client().chat.postMessage({ channel, text: 'Approve?' })).ts ?? '';
    const event = slack.fake.addReaction(channel, ts, ALICE, 'white_check_mark');
    const body = eventCallbackBody({ event: event as { type: string } });
    expect((await sendToBot(botUrl, SECRET, body)).status).toBe(200);
    expect(
      (await sendToBot(botUrl, SECRET, body, { retry: { num: 1, reason: 'http_timeout' } })).status,
    ).toBe(200);
    await slack.fake.waitFor(() => seen.events.length === 2);
    expect(seen.events).toEqual([
      { type: 'reaction_added', retryNum: undefined, retryReason: undefined },
      { type: 'reaction_added', retryNum: 1, retryReason: 'http_timeout' },
    ]);
    const forged = await sendToBot(botUrl, SECRET, body, { signWith: 'not-the-secret' });
    expect(forged.status).toBe(401);
  });

  it('app_home_opened leads to a published home view', async () => {
    const body = eventCallbackBody({ event: slack.fake.appHomeOpenedEvent(ALICE) as { type: string } });
    expect((await sendToBot(botUrl, SECRET, body)).status).toBe(200);
    const home = await slack.fake.waitFor(() => slack.fake.homeView(ALICE));
    expect(home.blocks[0]).toMatchObject({ text: { text: 'No open incidents' } });
  });
});

function never(): never {
  throw new Error('expected an open view');
}
