import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../../src/fake-slack/fake-slack-types.js';
import { mrkdwnToText } from '../../../src/fake-slack/render-blocks.js';
import { renderMessage } from '../../../src/fake-slack/render-transcript.js';

const incident: FakeMessage = {
  type: 'message',
  ts: '1732500000.000100',
  text: 'Incident INC-42 declared',
  user: 'U0FBBOT001',
  team: 'T0FBTEAM01',
  edited: { user: 'U0FBBOT001', ts: '1732500060.000100' },
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'INC-42 checkout-api 5xx' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Declared by* <@U0ALICE001> in <#C0ANNOUNCE|incidents>' },
      fields: [
        { type: 'mrkdwn', text: '*Severity*\nSEV2' },
        { type: 'mrkdwn', text: '*Runbook*\n<https://runbooks.test/checkout|checkout-5xx>' },
      ],
    },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Step 1 of 3 &gt; restart' }] },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
        },
        { type: 'button', action_id: 'skip', text: { type: 'plain_text', text: 'Skip' } },
      ],
    },
  ],
  replies: [],
};

describe('renderMessage', () => {
  it('turns header, section, fields, divider, context and actions into readable text', () => {
    expect(
      renderMessage(incident, { userNames: { U0FBBOT001: 'firebreak', U0ALICE001: 'alice' } }),
    ).toMatchInlineSnapshot(`
        "02:00:00 @firebreak (edited)
          == INC-42 checkout-api 5xx ==
          *Declared by* @alice in #incidents
          • *Severity* SEV2
          • *Runbook* checkout-5xx (https://runbooks.test/checkout)
          ────────────────────────────────────────
          › Step 1 of 3 > restart
          [Approve] [Skip]"
      `);
  });

  it('falls back to the text when there are no blocks, and styles with ANSI on request', () => {
    const plain = { ts: incident.ts, user: incident.user, text: 'hello <!here>', blocks: [] };
    expect(renderMessage(plain)).toBe('02:00:00 @U0FBBOT001\n  hello @here');
    const colored = renderMessage(incident, { color: true });
    expect(colored).toContain('\x1b[1;4mINC-42 checkout-api 5xx\x1b[0m');
    expect(colored).toContain('\x1b[1;32m[Approve]\x1b[0m');
  });
});

describe('mrkdwnToText', () => {
  it('unwraps mentions and links and decodes entities', () => {
    expect(mrkdwnToText('<@U1> &amp; <#C1> <https://x.test> <!date^1|Nov 25>')).toBe(
      '@U1 & #C1 https://x.test Nov 25',
    );
  });
});
