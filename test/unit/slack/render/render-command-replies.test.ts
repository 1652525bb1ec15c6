import { describe, expect, it } from 'vitest';
import { renderUsage } from '../../../../src/slack/commands/subcommands.js';
import {
  renderIncidentList,
  renderIncidentStatus,
} from '../../../../src/slack/render/render-command-replies.js';
import { incident, state } from './render-fixtures.js';

/** Channels come from the Slack ledger; the incident itself knows none. */
const CHANNEL = { id: 'C0INC00001', name: 'inc-20261125-503-k3f9' };

describe('command replies', () => {
  it('usage lists the kinds and every subcommand, after the problem if there is one', () => {
    expect(
      renderUsage(['503', 'redis-memory'], '`504` is neither an incident kind nor a command.'),
    ).toMatchInlineSnapshot(`
      ":warning: \`504\` is neither an incident kind nor a command.

      *Usage*
      • \`/incident <kind> [new] [dry-run] [summary]\` — open an incident (kinds: \`503\`, \`redis-memory\`); \`new\`: a second one while an alert's is open; \`dry-run\`: every action only says what it would do
      • \`/incident status\` — this incident (in its channel) or the open ones
      • \`/incident list\` — recent incidents
      • \`/incident resolve [force] [reason]\` — resolve this incident (in its channel); \`force\` even with mitigations still in place; a reason when checks are not green
      • \`/incident verify [all]\` — run the recovery checks due now (in its channel); \`all\` runs every tier, the load test too
      • \`/incident note <text>\` — add a note to this incident's timeline (in its channel); it goes into the postmortem
      • \`/incident postmortem\` — write this incident's postmortem now and post it to the thread as a file (in its channel)
      • \`/incident workers\` — the workers on the hosts: who is alive, their roles, what is missing
      • \`/incident help\` — this message"
    `);
  });

  it('lists incidents with status, channel and who opened them', () => {
    // Still opening: no channel yet.
    const opening = incident({ id: '20261125-503-zz99', status: 'opening', title: 'HTTP <503>' });
    const list = [incident(), opening];
    const channels = new Map([[incident().id, CHANNEL]]);
    expect(renderIncidentList(list, 'Open incidents', channels)).toMatchInlineSnapshot(`
      "*Open incidents*
      • *20261125-503-k3f9* HTTP 503 error spike — :mag: Investigating · <#C0INC00001> · opened by <@U0ALICE001>
      • *20261125-503-zz99* HTTP &lt;503&gt; — :hourglass_flowing_sand: Opening · (channel not created yet) · opened by <@U0ALICE001>"
    `);
    expect(renderIncidentList([], 'Open incidents', new Map())).toBe('Open incidents: none.');
  });

  it('sums up the actions of one incident', () => {
    const actions = [
      state('a', { status: 'succeeded' }),
      state('b', { status: 'failed' }),
      state('c', { status: 'running' }),
      state('d', { status: 'queued' }),
      state('e', { status: 'skipped' }),
      state('f'),
      state('g'),
    ];
    expect(renderIncidentStatus(incident({ status: 'mitigating' }), actions, CHANNEL)).toMatchInlineSnapshot(`
      "• *20261125-503-k3f9* HTTP 503 error spike — :hammer_and_wrench: Mitigating · <#C0INC00001> · opened by <@U0ALICE001>
      Actions: 1 succeeded, 1 failed, 2 in progress, 1 skipped, 2 awaiting a decision"
    `);
  });
});
