import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../../../src/slack/commands/status-command.js';
import { incident, state } from '../render/render-fixtures.js';
import { builtContext, INCIDENT_CHANNEL, input } from './command-context-fixture.js';

describe('/incident status', () => {
  it('in an incident channel, sums up that incident', async () => {
    const { ctx } = builtContext({ actions: [state('a', { status: 'succeeded' }), state('b')] });
    const answer = await statusCommand.run?.({}, ctx, input({ channelId: INCIDENT_CHANNEL.id }));
    expect(answer).toMatchInlineSnapshot(`
      "• *20261125-503-k3f9* HTTP 503 error spike — :mag: Investigating · <#C0INC00001> · opened by <@U0ALICE001>
      Actions: 1 succeeded, 0 failed, 0 in progress, 0 skipped, 1 awaiting a decision"
    `);
  });

  it('anywhere else, lists the open incidents', async () => {
    const closed = incident({ id: '20261125-503-done', status: 'resolved' });
    const { ctx } = builtContext({ incidents: [incident(), closed] });
    const answer = await statusCommand.run?.({}, ctx, input());
    expect(answer).toContain('*Open incidents*');
    expect(answer).toContain('20261125-503-k3f9');
    expect(answer).not.toContain('20261125-503-done');
    expect(await statusCommand.run?.({}, builtContext({ incidents: [] }).ctx, input())).toBe(
      'Open incidents: none.',
    );
  });
});
