import { describe, expect, it } from 'vitest';
import { within } from '../../../src/lifecycle/within.js';

describe('within', () => {
  it('resolves with the value when the promise settles in time', async () => {
    await expect(within(Promise.resolve('done'), 1000)).resolves.toBe('done');
  });

  it('resolves undefined when the promise outlives the limit', async () => {
    const started = performance.now();
    await expect(within(new Promise(() => undefined), 30)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('passes a rejection through', async () => {
    await expect(within(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });
});
