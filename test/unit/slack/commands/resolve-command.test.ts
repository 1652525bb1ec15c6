import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../../src/slack/commands/resolve-command.js';
import { builtContext, INCIDENT_CHANNEL, input } from './command-context-fixture.js';

describe('/incident resolve', () => {
  it('parses force in either spelling, and nothing else as force', () => {
    expect(resolveCommand.parse(['force'])).toEqual({ force: true });
    expect(resolveCommand.parse(['--FORCE'])).toEqual({ force: true });
    expect(resolveCommand.parse(['forced', 'now'])).toEqual({ force: false, reason: 'forced now' });
    expect(resolveCommand.parse(['force', 'load', 'test', 'later'])).toEqual({
      force: true,
      reason: 'load test later',
    });
    expect(resolveCommand.parse([])).toEqual({ force: false });
  });

  it('outside an incident channel, says where to run it and resolves nothing', async () => {
    const { ctx, calls } = builtContext();
    expect(await resolveCommand.run?.({ force: false }, ctx, input())).toBe(
      '`/incident resolve` works in an incident channel: run it there.',
    );
    expect(calls.resolved).toEqual([]);
  });

  it("in the incident's channel, resolves it as the Slack user who typed it", async () => {
    const { ctx, calls } = builtContext();
    const answer = await resolveCommand.run?.(
      { force: true },
      ctx,
      input({ channelId: INCIDENT_CHANNEL.id }),
    );
    expect(calls.resolved).toEqual([
      ['20261125-503-k3f9', { id: 'U0BOB00002', via: 'slack' }, { force: true }],
    ]);
    expect(answer).toBe('Incident *20261125-503-k3f9* resolved.');
  });

  it('renders a refusal of the core for Slack', async () => {
    const { ctx } = builtContext({
      resolveResult: {
        kind: 'refused',
        refusal: { code: 'incident-closed', incidentId: '20261125-503-k3f9', status: 'resolved' },
      },
    });
    const answer = await resolveCommand.run?.(
      { force: false },
      ctx,
      input({ channelId: INCIDENT_CHANNEL.id }),
    );
    expect(answer).toBe(':warning: incident 20261125-503-k3f9 is already resolved.');
  });
});
