import { describe, expect, it } from 'vitest';
import { noteCommand } from '../../../../src/slack/commands/note-command.js';
import { postmortemCommand } from '../../../../src/slack/commands/postmortem-command.js';
import { parseIncidentCommand } from '../../../../src/slack/commands/subcommands.js';
import { verifyCommand } from '../../../../src/slack/commands/verify-command.js';
import { builtContext, INCIDENT_CHANNEL, input } from './command-context-fixture.js';

const here = input({ channelId: INCIDENT_CHANNEL.id });
const bob = { id: 'U0BOB00002', via: 'slack' };

describe('/incident verify, note and postmortem', () => {
  it('parse from the one table', () => {
    const kinds = new Set(['503']);
    expect(parseIncidentCommand('verify', kinds)).toEqual({ type: 'verify', all: false });
    expect(parseIncidentCommand('verify ALL', kinds)).toEqual({ type: 'verify', all: true });
    expect(parseIncidentCommand('note rate limit holds', kinds)).toEqual({
      type: 'note',
      text: 'rate limit holds',
    });
    expect(parseIncidentCommand('postmortem', kinds)).toEqual({ type: 'postmortem' });
  });

  it('verify runs the due checks as the user, and says how they went', async () => {
    const { ctx, calls } = builtContext({
      verifyResult: {
        kind: 'ran',
        results: [
          { checkId: 'a', status: 'passed', evidence: [] },
          { checkId: 'b', status: 'failed', evidence: [] },
        ],
        regressed: [],
        recoveredAt: '2026-11-25T10:09:00.000Z',
      },
    });
    expect(verifyCommand.ack?.({ all: false }, ctx)).toBe(':mag: Running the due recovery checks…');
    expect(await verifyCommand.run?.({ all: true }, ctx, here)).toBe(
      'Checked 2: 1 passed, 1 failed, 0 unknown — the checklist message in the thread is updated. :green_heart: The incident has recovered.',
    );
    expect(calls.verified).toEqual([['20261125-503-k3f9', bob, 'all']]);
  });

  it('note keeps the text as typed, with its line breaks, and asks for one when empty', async () => {
    const { ctx, calls } = builtContext();
    expect(noteCommand.ack?.({ text: '' }, ctx)).toBe(
      'Write the note after the command: `/incident note <text>`.',
    );
    const text = 'note  rate limit holds\nerrors dropping';
    expect(
      await noteCommand.run?.(noteCommand.parse(text.split(/\s+/).slice(1)), ctx, { ...here, text }),
    ).toBeUndefined();
    expect(calls.noted).toEqual([['20261125-503-k3f9', bob, 'rate limit holds\nerrors dropping']]);
  });

  it('postmortem writes it and says where it goes; all three say where to run them elsewhere', async () => {
    const { ctx, calls } = builtContext();
    expect(await postmortemCommand.run?.({}, ctx, here)).toBe(
      ':page_facing_up: Postmortem of *20261125-503-k3f9* written (version 2); it is on its way to the thread as a file, and `firebreak postmortem 20261125-503-k3f9` prints it.',
    );
    expect(calls.postmortems).toEqual([['20261125-503-k3f9', bob]]);
    expect(await postmortemCommand.run?.({}, ctx, input())).toMatch(/works in an incident channel/);
    expect(await verifyCommand.run?.({ all: false }, ctx, input())).toMatch(/works in an incident channel/);
    expect(await noteCommand.run?.({ text: 'x' }, ctx, input({ text: 'note x' }))).toMatch(
      /works in an incident channel/,
    );
  });
});
