import { describe, expect, it } from 'vitest';
import { openCommand } from '../../../../src/slack/commands/open-command.js';
import { builtContext, input } from './command-context-fixture.js';

describe('/incident <kind>', () => {
  it('acks at once, before any I/O, saying a channel is on its way', () => {
    const { ctx, calls } = builtContext();
    expect(openCommand.ack?.({ kind: '503', summary: '', dryRun: false }, ctx)).toBe(
      ':rotating_light: Opening a *503* incident… a channel is on its way.',
    );
    expect(openCommand.ack?.({ kind: '503', summary: '', dryRun: true }, ctx)).toContain('DRY RUN');
    expect(calls.opened).toEqual([]);
  });

  it('opens a dry run when asked', async () => {
    const { ctx, calls } = builtContext();
    await openCommand.run?.({ kind: '503', summary: '', dryRun: true }, ctx, input());
    expect(calls.opened[0]).toMatchObject({ kind: '503', dryRun: true });
  });

  it('opens the incident as the Slack user, keeping where the command came from', async () => {
    const { ctx, calls } = builtContext();
    const answer = await openCommand.run?.(
      { kind: '503', summary: 'checkout down', dryRun: false },
      ctx,
      input(),
    );
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
    await openCommand.run?.({ kind: '503', summary: '', dryRun: false }, ctx, withoutUrl);
    expect(calls.opened[0]?.origin).toEqual({ channelId: 'C0GENERAL1' });
  });
});
