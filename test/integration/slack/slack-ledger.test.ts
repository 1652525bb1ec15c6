import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { SlackLedger } from '../../../src/slack/slack-ledger.js';

const CHANNEL = 'C0INC00001';
let redis: Redis;
let prefix: string;
let ledger: SlackLedger;

beforeEach(() => {
  redis = new Redis(inject('redisUrl'));
  prefix = `t${randomBytes(4).toString('hex')}:`;
  ledger = new SlackLedger(redis, prefix);
});
afterEach(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('SlackLedger', () => {
  it('maps the channel to the incident, and knows no other channel', async () => {
    await ledger.setChannel('20261125-test-bbbb', { id: CHANNEL, name: 'inc-x' });
    await ledger.setHeader('20261125-test-bbbb', '1.2');
    expect(await ledger.read('20261125-test-bbbb')).toMatchObject({
      channel: { id: CHANNEL, name: 'inc-x' },
      headerTs: '1.2',
      invited: false,
      next: 0,
    });
    expect(await ledger.incidentIn(CHANNEL)).toBe('20261125-test-bbbb');
    expect(await ledger.incidentIn('C0ELSEWHERE')).toBeUndefined();
    const channels = await ledger.channelsOf(['20261125-test-bbbb', '20261125-test-none']);
    expect([...channels]).toEqual([['20261125-test-bbbb', { id: CHANNEL, name: 'inc-x' }]]);
  });

  it('keeps where the command came from and whether the responders were invited', async () => {
    const id = '20261125-test-cccc';
    expect(await ledger.read(id)).toEqual({ invited: false, next: 0, delivery: emptyBook });
    await ledger.saveOrigin(id, { channelId: 'C0GENERAL1', responseUrl: 'http://127.0.0.1:1/response/R1' });
    await ledger.markInvited(id);
    expect(await ledger.read(id)).toEqual({
      origin: { channelId: 'C0GENERAL1', responseUrl: 'http://127.0.0.1:1/response/R1' },
      invited: true,
      next: 0,
      delivery: emptyBook,
    });
  });

  it('keeps delivery bookkeeping per incident', async () => {
    const id = '20261125-test-vvvv';
    expect(await ledger.nextToDeliver(id)).toBe(0);
    await ledger.markDelivered(id, 0);
    await ledger.markDelivered(id, 1);
    expect(await ledger.nextToDeliver(id)).toBe(2);
    // A late, slower delivery of an earlier entry never moves the mark back.
    await ledger.markDelivered(id, 0);
    expect(await ledger.nextToDeliver(id)).toBe(2);
    expect(await ledger.nextToDeliver('20261125-test-other')).toBe(0);

    expect(await ledger.postedTs(id, 1)).toBeUndefined();
    await ledger.markPosted(id, 1, '1764036000.000200');
    expect(await ledger.postedTs(id, 1)).toBe('1764036000.000200');
    expect(await ledger.cardTs(id, 'P1')).toBeUndefined();
    await ledger.setCardTs(id, 'P1', '1764036000.000300');
    expect(await ledger.cardTs(id, 'P1')).toBe('1764036000.000300');
    expect(await ledger.cardTs(id, 'P2')).toBeUndefined();
  });

  it('records attempts, messages covering several entries, cards sharing a message, held-back cards', async () => {
    const id = '20261125-test-wwww';
    await ledger.markAttempt(id, '3', 1_000);
    await ledger.markAttempt(id, 'cards-P1', 2_000);
    await ledger.markPending(id, ['scenario-2', 'normalize']);
    await ledger.markPosted(id, [3, 4, 5], '1.5', 6);
    await ledger.markPosted(id, [], '1.6', undefined, ['P1', 'P2']);
    await ledger.markPosted(id, [], '1.7', undefined, ['normalize']);
    const { next, delivery } = await ledger.read(id);
    expect(next).toBe(6);
    expect([...delivery.posted]).toEqual([
      [3, '1.5'],
      [4, '1.5'],
      [5, '1.5'],
    ]);
    expect([...delivery.cards]).toEqual([
      ['P1', '1.6'],
      ['P2', '1.6'],
      ['normalize', '1.7'],
    ]);
    // Shown since: no longer pending.
    expect([...delivery.pending]).toEqual(['scenario-2']);
    expect([...delivery.attempts]).toEqual([
      ['3', 1000],
      ['cards-P1', 2000],
    ]);
    expect(delivery.revealed).toBe(false);
    await ledger.reveal(id);
    expect((await ledger.read(id)).delivery.revealed).toBe(true);
    // Its keys share the incident's hash tag, so a Redis Cluster keeps them in one slot.
    expect(await redis.exists(`${prefix}slack:inc:{${id}}`)).toBe(1);
  });
});

const emptyBook = {
  posted: new Map(),
  attempts: new Map(),
  cards: new Map(),
  pending: new Set(),
  revealed: false,
};
