import { afterEach, expect, inject, it } from 'vitest';
import { isFirebreakError } from '../../../src/errors.js';
import { createFleet, type Fleet, fleetRunbook } from './fleet-fixture.js';

let fleet: Fleet;
afterEach(async () => {
  await fleet?.close();
});

it('registers each worker with what it is, and keeps it live while it beats', async () => {
  fleet = await createFleet(inject('redisUrl'), 'http://127.0.0.1:9', { heartbeatMs: 100 });
  const gen = await fleet.worker('gen-1', ['gen']);
  const { workers } = await fleet.bot.registry.list();
  expect(workers).toEqual([
    expect.objectContaining({
      name: 'gen-1',
      instance: gen.hands.info.instance,
      roles: ['gen'],
      unplaced: false,
      process: 'worker',
      pid: process.pid,
      allowedPrograms: [],
      runbooks: { fleet: expect.stringMatching(/^[0-9a-f]{12}$/) },
      keyId: fleet.bot.signer.keyId,
      heartbeatMs: 100,
      live: true,
    }),
  ]);
  // Renewed, not just written once: the heartbeat moves on.
  const first = workers[0]?.seenAt ?? 0;
  await expect.poll(async () => (await fleet.bot.registry.list()).workers[0]?.seenAt).toBeGreaterThan(first);
});

it('marks a worker that stopped beating dead after three missed beats, and forgets one that left', async () => {
  fleet = await createFleet(inject('redisUrl'), 'http://127.0.0.1:9', { heartbeatMs: 100 });
  const gone = await fleet.worker('gen-1', ['gen']);
  const left = await fleet.worker('gen-2', ['gen']);
  await gone.vanish();
  await left.stop();
  await expect
    .poll(async () => (await fleet.bot.registry.list()).workers.map((w) => `${w.name} ${w.live}`), {
      timeout: 3000,
    })
    .toEqual(['gen-1 false']);
  const status = await fleet.bot.deps.workers?.status();
  expect(status?.problems).toEqual([
    'no live executor for actions without a role: start `npm run worker` (without --role), or run the bot with EXECUTORS=on',
    'no live worker for role gen: start `npm run worker -- --role gen` on those hosts',
    'no live worker for role proj: start `npm run worker -- --role proj` on those hosts',
  ]);
});

it('refuses to start a second live worker of the same name and role', async () => {
  fleet = await createFleet(inject('redisUrl'), 'http://127.0.0.1:9');
  await fleet.worker('gen-1', ['gen']);
  const twin = await fleet.worker('gen-1', ['gen', 'proj']).catch((err: unknown) => err);
  expect(isFirebreakError(twin, 'config_invalid')).toBe(true);
  expect((twin as Error).message).toMatch(
    /^another worker named gen-1 is alive and serves gen \(pid \d+ on .+\): give this one its own WORKER_NAME \(or --name\)$/,
  );
  // Another role under the same name is another worker: allowed.
  await expect(fleet.worker('gen-1', ['proj'])).resolves.toBeDefined();
});

it('tells the bot which live worker holds another key or another runbook', async () => {
  fleet = await createFleet(inject('redisUrl'), 'http://127.0.0.1:9');
  await fleet.worker('exec-1', [], { unplaced: true });
  await fleet.worker('gen-1', ['gen'], { key: 'a key the bot does not hold, long enough' });
  await fleet.worker('proj-1', ['proj'], {
    runbook: fleetRunbook({ title: 'Older' }),
  });
  const status = await fleet.bot.deps.workers?.status();
  expect(status?.problems).toEqual([
    'gen-1 holds a different APPROVAL_SIGNING_KEY than the bot: it refuses every action — set the same key on both',
    expect.stringMatching(
      /^proj-1 has a different fleet runbook \(\w{12}, the bot's is \w{12}\): deploy the same commands\/ there$/,
    ),
  ]);
});
