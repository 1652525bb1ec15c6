import { describe, expect, it } from 'vitest';
import { listCommand } from '../../../../src/slack/commands/list-command.js';
import { incident } from '../render/render-fixtures.js';
import { builtContext, input } from './command-context-fixture.js';

describe('/incident list', () => {
  it('lists recent incidents, resolved ones too, with their channels', async () => {
    const closed = incident({ id: '20261125-503-done', status: 'resolved' });
    const { ctx } = builtContext({ incidents: [incident(), closed] });
    const answer = await listCommand.run?.({}, ctx, input());
    expect(answer?.split('\n')).toEqual([
      '*Recent incidents*',
      expect.stringContaining(
        '*20261125-503-k3f9* HTTP 503 error spike — :mag: Investigating · <#C0INC00001>',
      ),
      expect.stringContaining(
        '*20261125-503-done* HTTP 503 error spike — :white_check_mark: Resolved · (channel not created yet)',
      ),
    ]);
  });
});
