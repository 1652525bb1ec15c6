import { describe, expect, it } from 'vitest';
import { issueTriggerId, readTriggerId } from '../../../src/fake-slack/trigger-ids.js';

describe('trigger ids', () => {
  it("look like Slack's and carry their issue time and user", () => {
    const id = issueTriggerId('U0ALICE001', 1_700_000_000_123);
    expect(id).toMatch(/^1700000000123\.\d+\.[0-9a-f]+$/);
    expect(readTriggerId(id)).toEqual({ issuedAt: 1_700_000_000_123, userId: 'U0ALICE001' });
    expect(issueTriggerId('U0ALICE001')).not.toBe(issueTriggerId('U0ALICE001'));
  });

  it('are unreadable when made up or altered', () => {
    const id = issueTriggerId('U0ALICE001', 1_700_000_000_000);
    expect(readTriggerId('398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c')).toBeUndefined();
    // Claiming a later issue time breaks the seal.
    expect(readTriggerId(id.replace(/^1700000000000/, '1700000009999'))).toBeUndefined();
    expect(readTriggerId(`${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`)).toBeUndefined();
    expect(readTriggerId('not-a-trigger')).toBeUndefined();
  });
});
