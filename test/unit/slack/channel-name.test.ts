import { describe, expect, it } from 'vitest';
import { channelNameFor } from '../../../src/slack/channel-name.js';

/** Slack's channel-name rules. */
const SLACK_CHANNEL_NAME = /^[a-z0-9_-]{1,80}$/;

describe('channelNameFor', () => {
  const openedAt = '2026-11-25T02:00:00.000Z';

  it('names the channel inc-<day>-<kind>-<suffix>', () => {
    expect(channelNameFor({ kind: '503', openedAt }, 'k3f9')).toBe('inc-20261125-503-k3f9');
  });

  it('follows Slack rules whatever the kind looks like', () => {
    const name = channelNameFor({ kind: 'Redis Memory/OOM!', openedAt }, 'Q7x2');
    expect(name).toMatch(SLACK_CHANNEL_NAME);
    expect(name).toBe('inc-20261125-redis-memory-oom-q7x2');
  });

  it('keeps the suffix when the kind is long, so retried names still differ', () => {
    const kind = 'k'.repeat(120);
    const a = channelNameFor({ kind, openedAt }, 'aaaa');
    const b = channelNameFor({ kind, openedAt }, 'bbbb');
    expect(a).toMatch(SLACK_CHANNEL_NAME);
    expect(a).toHaveLength(80);
    expect(a.endsWith('-aaaa')).toBe(true);
    expect(a).not.toBe(b);
  });
});
