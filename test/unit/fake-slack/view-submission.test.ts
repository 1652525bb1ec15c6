import { describe, expect, it } from 'vitest';
import type { FakeViewJson } from '../../../src/fake-slack/fake-slack-types.js';
import { viewSubmissionBody } from '../../../src/fake-slack/slack-requests.js';
import { readTriggerId } from '../../../src/fake-slack/trigger-ids.js';
import { parseViewSubmissionAnswer } from '../../../src/fake-slack/view-submission.js';

const view: FakeViewJson = {
  id: 'V0000000001',
  team_id: 'T0FBTEAM01',
  type: 'modal',
  blocks: [{ type: 'input', block_id: 'note' }],
  private_metadata: 'inc-1',
  callback_id: 'incident_note',
  external_id: '',
  state: { values: {} },
  hash: '1700000000.abcd1234',
  title: { type: 'plain_text', text: 'Note' },
  close: null,
  submit: { type: 'plain_text', text: 'Save' },
  clear_on_close: false,
  notify_on_close: false,
  root_view_id: 'V0000000001',
  previous_view_id: null,
  app_id: 'A0FBAPP001',
  app_installed_team_id: 'T0FBTEAM01',
  bot_id: 'B0FBBOT001',
};

describe('viewSubmissionBody', () => {
  it("is Slack's view_submission payload: the view with the entered values, and a fresh trigger", () => {
    const values = { note: { text: { type: 'plain_text_input', value: 'db restarted' } } };
    const body = viewSubmissionBody({ userId: 'U0ALICE001', view, values });
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'view_submission',
      team: { id: 'T0FBTEAM01', domain: 'firebreak-test' },
      user: { id: 'U0ALICE001', team_id: 'T0FBTEAM01' },
      api_app_id: 'A0FBAPP001',
      view: { ...view, state: { values } },
      response_urls: [],
    });
    expect(readTriggerId(payload.trigger_id)?.userId).toBe('U0ALICE001');
    expect(view.state.values).toEqual({}); // the fake's copy is not touched
  });
});

describe('parseViewSubmissionAnswer', () => {
  const ok = (body: string) => parseViewSubmissionAnswer({ status: 200, body });

  it('reads an empty ack and each response_action', () => {
    expect(ok('')).toEqual({ response_action: 'none' });
    expect(ok('{}')).toEqual({ response_action: 'none' });
    expect(ok('{"response_action":"clear"}')).toEqual({ response_action: 'clear' });
    expect(ok('{"response_action":"errors","errors":{"note":"Too short"}}')).toEqual({
      response_action: 'errors',
      errors: { note: 'Too short' },
    });
    expect(ok('{"response_action":"update","view":{"type":"modal"}}')).toEqual({
      response_action: 'update',
      view: { type: 'modal' },
    });
  });

  it('refuses what Slack would show as an error to the user', () => {
    expect(() => parseViewSubmissionAnswer({ status: 500, body: '' })).toThrow(/not a 200/);
    expect(() => ok('Saved!')).toThrow(/not JSON/);
    expect(() => ok('{"response_action":"close"}')).toThrow(/unknown response_action/);
    expect(() => ok('{"response_action":"push"}')).toThrow(/needs a `view`/);
    expect(() => ok('{"response_action":"errors","errors":{"note":1}}')).toThrow(/block_ids to messages/);
  });
});
