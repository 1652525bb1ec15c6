import { describe, expect, it } from 'vitest';
import { openCommand } from '../../../../src/slack/commands/open-command.js';
import { parseIncidentCommand } from '../../../../src/slack/commands/subcommands.js';
import { incident } from '../render/render-fixtures.js';
import { builtContext, INCIDENT_CHANNEL, input } from './command-context-fixture.js';

/** An open 503 incident that HTTP503ErrorSpike opened, in INCIDENT_CHANNEL. */
const alerted = () =>
  incident({
    openedBy: 'HTTP503ErrorSpike',
    openedVia: 'alertmanager',
    alert: { name: 'HTTP503ErrorSpike', labels: {}, startsAt: '2026-11-25T07:02:00.000Z' },
  });

describe('/incident <kind>', () => {
  it('acks at once, before any I/O', () => {
    const { ctx, calls } = builtContext();
    expect(openCommand.ack?.({ kind: '503', summary: '' }, ctx)).toBe(
      ':rotating_light: Opening a *503* incident…',
    );
    expect(openCommand.ack?.({ kind: '503', summary: '', dryRun: true }, ctx)).toContain('DRY RUN');
    expect(calls.opened).toEqual([]);
  });

  it('opens a dry run when asked, even while an alert’s incident of that kind is open', async () => {
    const { ctx, calls } = builtContext({ incidents: [alerted()] });
    expect(await openCommand.run?.({ kind: '503', summary: '', dryRun: true }, ctx, input())).toBeUndefined();
    expect(calls.opened[0]).toMatchObject({ kind: '503', dryRun: true });
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

  it('points to the open incident an alert opened of that kind instead of opening a second', async () => {
    const { ctx, calls } = builtContext({ incidents: [alerted()] });
    const answer = await openCommand.run?.({ kind: '503', summary: 'checkout down' }, ctx, input());
    expect(calls.opened).toEqual([]);
    expect(answer).toContain('Alert *HTTP503ErrorSpike* already opened incident *20261125-503-k3f9*');
    expect(answer).toContain(`join <#${INCIDENT_CHANNEL.id}>`);
    expect(answer).toContain('`/incident 503 new [summary]`');
  });

  it('opens another on purpose with `new`, and ignores incidents of other kinds or opened by people', async () => {
    const parsed = parseIncidentCommand('503 NEW checkout down again', new Set(['503']));
    expect(parsed).toEqual({ type: 'open', kind: '503', summary: 'checkout down again', new: true });

    const { ctx, calls } = builtContext({ incidents: [alerted()] });
    await openCommand.run?.({ kind: '503', summary: 'again', new: true }, ctx, input());
    await openCommand.run?.({ kind: 'redis-memory', summary: '' }, ctx, input());
    expect(calls.opened.map((o) => o.kind)).toEqual(['503', 'redis-memory']);

    const byPeople = builtContext({ incidents: [incident()] });
    await openCommand.run?.({ kind: '503', summary: '' }, byPeople.ctx, input());
    expect(byPeople.calls.opened).toHaveLength(1);
  });

  it('opens when the alert-opened incident is resolved', async () => {
    const { ctx, calls } = builtContext({ incidents: [{ ...alerted(), status: 'resolved' }] });
    await openCommand.run?.({ kind: '503', summary: '' }, ctx, input());
    expect(calls.opened).toHaveLength(1);
  });
});
