import { describe, expect, it } from 'vitest';
import { renderActor } from '../../../../src/slack/render/render-actor.js';
import { renderRequesterNotice } from '../../../../src/slack/render/render-requester-notice.js';

describe('renderActor', () => {
  it('mentions Slack users, names everyone else with their surface, and Firebreak itself', () => {
    expect({
      slack: renderActor('U0ALICE001', 'slack'),
      alert: renderActor('HTTP503ErrorSpike', 'alertmanager'),
      console: renderActor('dana@example.com <ops>', 'console'),
      firebreak: renderActor('firebreak', 'firebreak'),
      nobody: renderActor(undefined, undefined),
      unknownSurface: renderActor('U0OLD00001', undefined),
    }).toMatchInlineSnapshot(`
      {
        "alert": "HTTP503ErrorSpike (Alertmanager)",
        "console": "dana@example.com &lt;ops&gt; (the console)",
        "firebreak": "Firebreak",
        "nobody": "Firebreak",
        "slack": "<@U0ALICE001>",
        "unknownSurface": "U0OLD00001",
      }
    `);
  });
});

describe('renderRequesterNotice', () => {
  const incident = { id: '20261125-503-k3f9' };

  it('points the requester at the channel, or says it could not open and what to do', () => {
    expect(renderRequesterNotice(incident, { type: 'opened' }, { id: 'C0INC00001' })).toBe(
      'Incident *20261125-503-k3f9* is open in <#C0INC00001>.',
    );
    expect(
      renderRequesterNotice(
        incident,
        { type: 'not-opened', reason: 'its channel #inc-x was archived <again>', advice: 'fix-then-retry' },
        undefined,
      ),
    ).toBe(
      ':warning: Incident *20261125-503-k3f9* could not be opened: its channel #inc-x was archived &lt;again&gt;. Nothing was run and the incident is closed; run `/incident` again once that is fixed.',
    );
  });
});
