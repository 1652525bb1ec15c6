import { describe, expect, it } from 'vitest';
import { openCommand } from '../../../../src/slack/commands/open-command.js';
import { builtContext, input } from './command-context-fixture.js';

describe('/incident <kind>', () => {
  it('acks at once, before any I/O, saying a channel is on its way', () => {
    const { ctx, calls } = builtContext();
    expect(openCommand.ack?.({ kind: '503', summary: '' }, ctx)).toBe(
      ':rotating_light: Opening a *503* incident… a channel is on its way.',
    );
    expect(calls.opened).toEqual([]);
  });

  it('opens the incident as the Slack user, keeping where the command came from', async () => {
    const { ctx, calls } = builtContext();
    const answer = await openCommand.run?.({ kind: '503', summary: 'checkout down' }, ctx, input());
    expect(answer).toBeUndefined();
    expect(calls.opened).toEqual([
      {
        kind: '503',
        summary: 'checkout down',
        actor: { id: 'U0BOB00002', via: 'slack' },
        origin: { channelId: 'C0GENERAL1', responseUrl: 'https://hooks.slack.com/commands/T0/1/abc' },
      },
    ]);
  });

  it('opens without a response URL when Slack sent none', async () => {
    const { ctx, calls } = builtContext();
    const { responseUrl: _none, ...withoutUrl } = input();
    await openCommand.run?.({ kind: '503', summary: '' }, ctx, withoutUrl);
    expect(calls.opened[0]?.origin).toEqual({ channelId: 'C0GENERAL1' });
  });
});
