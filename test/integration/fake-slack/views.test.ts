import type { View } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { blockActionsBody, issueTriggerId, slashCommandBody } from '../../../src/fake-slack/index.js';
import { platformError, useFakeSlack } from './use-fake-slack.js';

const slack = useFakeSlack();
const ALICE = 'U0ALICE001';

const modal = (title: string, extra: Partial<View> = {}): View => ({
  type: 'modal',
  callback_id: 'incident_note',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Save' },
  private_metadata: JSON.stringify({ incident: 'inc-1' }),
  blocks: [
    {
      type: 'input',
      block_id: 'note',
      label: { type: 'plain_text', text: 'Note' },
      element: { type: 'plain_text_input', action_id: 'text' },
    },
  ],
  ...extra,
});
const home: View = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Open: 1' } }] };

/** The trigger of a payload built by the fake's request builders. */
const triggerIn = (body: string) => {
  const params = new URLSearchParams(body);
  const payload = params.get('payload');
  return payload ? String(JSON.parse(payload).trigger_id) : (params.get('trigger_id') ?? '');
};

describe('views: modals from a trigger', () => {
  it('opens a modal with the trigger of a slash command, once', async () => {
    const web = slack.client();
    const trigger = triggerIn(
      slashCommandBody({ text: 'note', userId: ALICE, channelId: 'C1', responseUrl: 'x' }),
    );
    const opened = await web.views.open({ trigger_id: trigger, view: modal('Add a note') });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'incident_note',
      private_metadata: '{"incident":"inc-1"}',
      state: { values: {} },
      previous_view_id: null,
      app_id: 'A0FBAPP001',
    });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect(opened.view?.root_view_id).toBe(opened.view?.id);
    expect(opened.view?.hash).toMatch(/^\d+\.[0-9a-f]+$/);
    expect(slack.fake.openViews(ALICE).map((v) => v.id)).toEqual([opened.view?.id]);
    expect(await platformError(web.views.open({ trigger_id: trigger, view: modal('Again') }))).toBe(
      'exchanged_trigger_id',
    );
  });

  it('refuses unknown and expired triggers', async () => {
    const web = slack.client();
    const made = await platformError(web.views.open({ trigger_id: '123.456.abcdef', view: modal('x') }));
    expect(made).toBe('invalid_trigger_id');
    const old = issueTriggerId(ALICE, Date.now() - 3500);
    expect(await platformError(web.views.open({ trigger_id: old, view: modal('x') }))).toBe(
      'expired_trigger_id',
    );
    const forged = `${issueTriggerId(ALICE).slice(0, -4)}0000`;
    expect(await platformError(web.views.open({ trigger_id: forged, view: modal('x') }))).toBe(
      'invalid_trigger_id',
    );
    expect(slack.fake.views()).toHaveLength(0);
  });

  it('refuses views Slack refuses, with its messages', async () => {
    const web = slack.client();
    const open = (view: unknown) =>
      web
        .apiCall('views.open', { trigger_id: issueTriggerId(ALICE), view })
        .catch((e: { data: unknown }) => e.data);
    expect(await open(modal('x'.repeat(25)))).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
    const noSubmit = { ...modal('Note'), submit: undefined };
    expect(await open(noSubmit)).toMatchObject({ error: 'invalid_arguments' });
    expect(await open(home)).toMatchObject({ error: 'invalid_arguments' });
    expect(await open('{broken')).toMatchObject({ error: 'invalid_arguments' });
    expect(await open(modal('Big', { private_metadata: 'x'.repeat(3001) }))).toMatchObject({
      error: 'invalid_arguments',
    });
  });

  it('pushes onto the stack up to three views, and updates by id or external_id with hash checks', async () => {
    const web = slack.client();
    const click = () =>
      triggerIn(
        blockActionsBody({
          userId: ALICE,
          channelId: 'C1',
          messageTs: '1.1',
          actionId: 'a',
          responseUrl: 'x',
        }),
      );
    expect(await platformError(web.views.push({ trigger_id: click(), view: modal('Nothing open') }))).toBe(
      'invalid_arguments',
    );
    const root = (
      await web.views.open({ trigger_id: click(), view: modal('Root', { external_id: 'note-inc-1' }) })
    ).view;
    const second = (await web.views.push({ trigger_id: click(), view: modal('Second') })).view;
    await web.views.push({ trigger_id: click(), view: modal('Third') });
    expect(second).toMatchObject({ root_view_id: root?.id, previous_view_id: root?.id });
    expect(await platformError(web.views.push({ trigger_id: click(), view: modal('Fourth') }))).toBe(
      'push_limit_reached',
    );
    expect(slack.fake.openViews(ALICE).map((v) => v.title?.text)).toEqual(['Root', 'Second', 'Third']);

    const updated = await web.views.update({
      view_id: root?.id ?? '',
      hash: root?.hash ?? '',
      view: modal('Root v2'),
    });
    expect(updated.view).toMatchObject({ id: root?.id, title: { text: 'Root v2' } });
    expect(updated.view?.hash).not.toBe(root?.hash);
    expect(
      await platformError(
        web.views.update({ view_id: root?.id ?? '', hash: root?.hash ?? '', view: modal('Stale') }),
      ),
    ).toBe('hash_conflict');
    const byExternal = await web.views.update({
      external_id: 'note-inc-1',
      view: modal('Root v3', { external_id: 'note-inc-1' }),
    });
    expect(byExternal.view?.id).toBe(root?.id);
    expect(await platformError(web.views.update({ view_id: 'V0NOPE', view: modal('x') }))).toBe('not_found');
    expect(await platformError(web.views.update({ external_id: 'nope', view: modal('x') }))).toBe(
      'not_found',
    );
    expect(
      await platformError(
        web.views.open({ trigger_id: click(), view: modal('Dup', { external_id: 'note-inc-1' }) }),
      ),
    ).toBe('duplicate_external_id');
  });
});

describe('views: App Home', () => {
  it('publishes a home view per user, keeping its id, with hash checks, and builds app_home_opened', async () => {
    const web = slack.client();
    expect(slack.fake.appHomeOpenedEvent(ALICE)).not.toHaveProperty('view');
    const first = await web.views.publish({ user_id: ALICE, view: home });
    expect(first.view).toMatchObject({ type: 'home', previous_view_id: null });
    const second = await web.views.publish({ user_id: ALICE, hash: first.view?.hash ?? '', view: home });
    expect(second.view?.id).toBe(first.view?.id);
    expect(await platformError(web.views.publish({ user_id: ALICE, hash: 'old', view: home }))).toBe(
      'hash_conflict',
    );
    expect(await platformError(web.views.publish({ user_id: 'nobody', view: home }))).toBe(
      'invalid_arguments',
    );
    expect(await platformError(web.views.publish({ user_id: ALICE, view: modal('Not home') }))).toBe(
      'invalid_arguments',
    );
    expect(slack.fake.homeView(ALICE)?.hash).toBe(second.view?.hash);
    expect(slack.fake.homeView('U0BOB00001')).toBeUndefined();
    const event = slack.fake.appHomeOpenedEvent(ALICE);
    expect(event).toMatchObject({
      type: 'app_home_opened',
      user: ALICE,
      tab: 'home',
      view: { id: first.view?.id },
    });
    expect(String(event.channel)).toMatch(/^D/);
  });
});
