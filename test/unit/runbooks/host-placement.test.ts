import { describe, expect, it } from 'vitest';
import { actionPlacement, hasUnplacedActions, runbookRoles } from '../../../src/runbooks/host-placement.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import { runbookDigest } from '../../../src/runbooks/runbook-digest.js';
import { runbookSchema } from '../../../src/runbooks/runbook-schema.js';

const base = {
  kind: 'roles',
  title: 'Roles',
  probes: [{ id: 'cpu', title: 'CPU', on: 'generation', check: { type: 'host', metric: 'cpu' } }],
  groups: [{ id: 'P1', title: 'First' }],
  actions: [
    { id: 'one', title: 'One', group: 'P1', on: 'generation', run: { type: 'process', command: ['true'] } },
    {
      id: 'each',
      title: 'Each',
      group: 'P1',
      on: { role: 'nginx', each: true },
      run: { type: 'process', command: ['true'] },
    },
    {
      id: 'object',
      title: 'Object',
      group: 'P1',
      on: { role: 'project' },
      run: { type: 'process', command: ['true'] },
    },
    { id: 'here', title: 'Here', group: 'P1', run: { type: 'process', command: ['true'] } },
  ],
};

const issues = (runbook: unknown) => {
  const parsed = runbookSchema.safeParse(runbook);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('on: host roles in runbooks', () => {
  it('places probes and actions on roles, one host or each in turn', () => {
    const runbook = runbookSchema.parse(base);
    const placement = (id: string) => actionPlacement(runbook.actions.find((a) => a.id === id) ?? {});
    expect(placement('one')).toEqual({ role: 'generation', each: false });
    expect(placement('each')).toEqual({ role: 'nginx', each: true });
    expect(placement('object')).toEqual({ role: 'project', each: false });
    expect(placement('here')).toBeUndefined();
    expect(runbookRoles(runbook)).toEqual(['generation', 'nginx', 'project']);
    expect(hasUnplacedActions(runbook)).toBe(true);
  });

  it('refuses a role that is not a short lowercase name, and a manual step placed on a host', () => {
    const manual = {
      id: 'by-hand',
      title: 'By hand',
      group: 'P1',
      on: 'generation',
      run: { type: 'manual', instructions: 'do it' },
    };
    expect(issues({ ...base, probes: [{ ...base.probes[0], on: 'Generation' }] })).toEqual([
      expect.stringMatching(/^probes\.0\.on: a host role: a short lowercase name/),
    ]);
    expect(issues({ ...base, actions: [...base.actions, manual] })).toEqual([
      'actions.4.on: a manual step runs on no host: remove `on:` (a person does it by hand)',
    ]);
  });

  it('places the shipped 503 runbook’s host probes and host actions on the stack’s roles', async () => {
    const runbook = (await loadRunbooks('commands')).get('503');
    if (!runbook) throw new Error('no 503 runbook');
    const probesOn = (role: string) => runbook.probes.filter((p) => p.on === role).map((p) => p.id);
    expect(probesOn('generation')).toEqual([
      'error-log-patterns',
      'host-cpu',
      'host-memory',
      'host-disk-io',
      'host-connections',
      'generation-service-processes',
      'tcp-summary',
      'error-log-recent',
    ]);
    expect(probesOn('project')).toEqual(['sqlite-lock-holders', 'sqlite-db-holders']);
    // Every host-local probe reads a role's hosts; the rest go through the service URLs from the bot.
    const local = runbook.probes.filter((p) => ['host', 'command', 'logs'].includes(p.check.type));
    expect(local.every((p) => p.on !== undefined)).toBe(true);
    expect(
      runbook.probes
        .filter((p) => p.on === undefined)
        .every((p) => !['host', 'command', 'logs'].includes(p.check.type)),
    ).toBe(true);
    const eachOn = (role: string) =>
      runbook.actions
        .filter((a) => actionPlacement(a)?.role === role && actionPlacement(a)?.each)
        .map((a) => a.id);
    expect(eachOn('generation')).toEqual([
      'p2-clean-temp-files',
      'p2-docker-prune',
      'p2-compress-old-logs',
      's1-reduce-rag-concurrency',
      's3-fallback-model',
      's4-tcp-keepalive',
      'normalize-rag-concurrency',
      'normalize-fallback-model',
    ]);
    expect(eachOn('nginx')).toEqual(['p1-nginx-reload']);
    expect(runbookRoles(runbook)).toEqual(['generation', 'nginx', 'project']);
  });
});

describe('runbookDigest', () => {
  it('is the same for the same meaning, whatever the key order, and differs for any change', () => {
    const one = runbookSchema.parse(base);
    const reordered = runbookSchema.parse(Object.fromEntries(Object.entries(base).reverse()));
    expect(runbookDigest(one)).toMatch(/^[0-9a-f]{12}$/);
    expect(runbookDigest(reordered)).toBe(runbookDigest(one));
    expect(runbookDigest(runbookSchema.parse({ ...base, title: 'Roles!' }))).not.toBe(runbookDigest(one));
  });
});
