// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { describe, expect, it } from 'vitest';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { Action, Runbook } from '../../../src/runbooks/runbook-schema.js';

const catalog = await loadRunbooks('commands');
const seed = catalog.get('503') as Runbook;

function action(id: string): Action {
  const found = seed.actions.find((a) => a.id === id);
  if (!found) throw new Error(`503.yaml has no action ${id}`);
  return found;
}

describe('the shipped runbooks', () => {
  it('load from commands/ by kind', () => {
    expect([...catalog.keys()].sort()).toEqual(['503', 'redis-memory']);
    expect(seed.severity).toBe('critical');
  });

  it('give every action a declared group and every group an action', () => {
    for (const runbook of catalog.values()) {
      const groups = new Set(runbook.groups.map((g) => g.id));
      for (const a of runbook.actions) expect(groups, `${runbook.kind}/${a.id}`).toContain(a.group);
    }
  });

  it('puts P1, P2, P3 first with the seed deadlines and one group per scenario', () => {
    expect(seed.groups.slice(0, 3).map((g) => [g.id, g.deadline])).toEqual([
      ['P1', '30s'],
      ['P2', '2m'],
      ['P3', '5m'],
    ]);
    for (const scenario of seed.scenarios) {
      expect(seed.groups.filter((g) => g.scenario === scenario.id)).toHaveLength(1);
    }
    expect(seed.scenarios.map((s) => s.number)).toEqual([1, 2, 3, 4]);
  });

  it('calls the seed P1 endpoints with its exact bodies, authenticated', () => {
    expect(action('p1-emergency-rate-limit').run).toMatchObject({
      type: 'http',
      method: 'POST',
      url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency',
      headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
      body: { requests_per_minute: 100, burst: 10 },
    });
    expect(action('p1-circuit-breaker-nonessential').run).toMatchObject({
      method: 'POST',
      url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/circuit-breaker/enable',
      body: { endpoints: ['/api/generation/batch', '/api/rag/search'] },
    });
    expect(action('p1-nginx-reload').run).toMatchObject({
      type: 'process',
      command: ['nginx', '-s', 'reload'],
    });
  });

  it('runs shell commands as argv, with the seed escaping removed', () => {
    expect(action('p2-compress-old-logs').run).toMatchObject({
      command: ['find', '/var/log', '-name', '*.log', '-mtime', '+7', '-exec', 'gzip', '{}', ';'],
    });
    expect(action('p2-clean-temp-files').run).toMatchObject({
      command: ['find', '/tmp', '-name', 'ai-script-*', '-mmin', '+60', '-delete'],
    });
    expect(action('p3-flush-redis-temp').run).toMatchObject({ type: 'redis', db: 1, command: ['FLUSHDB'] });
  });

  it('restarts in the seed order with 30 s waits', () => {
    const run = action('p3-sequential-restart').run;
    expect(
      run.type === 'sequence' && run.steps.map((s) => (s.type === 'process' ? s.command.join(' ') : s.type)),
    ).toEqual([
      'systemctl restart ai-script-project-service',
      'wait',
      'systemctl restart ai-script-generation-service',
      'wait',
    ]);
  });

  it('marks the dangerous actions destructive and links undo to after-recovery actions', () => {
    for (const id of [
      'p3-sequential-restart',
      'p3-flush-redis-temp',
      'p2-clean-temp-files',
      'p2-docker-prune',
    ]) {
      expect(action(id).destructive, id).toBe(true);
    }
    for (const id of ['p3-force-health-ok', 's2-kill-long-queries', 's4-tcp-keepalive']) {
      expect(action(id).destructive, id).toBe(true);
    }
    const afterRecovery = new Set(seed.groups.filter((g) => g.offer === 'after-recovery').map((g) => g.id));
    for (const a of seed.actions.filter((x) => typeof x.undo === 'string')) {
      expect(afterRecovery, `${a.id} → ${a.undo}`).toContain(action(a.undo as string).group);
    }
    expect(action('p1-emergency-rate-limit').undo).toBe('normalize-rate-limit');
  });

  it('releases each provider breaker with its own staged release, stopping when the test fails', () => {
    expect(action('s3-openai-circuit-breaker').undo).toBe('normalize-openai-staged');
    expect(action('s3-anthropic-circuit-breaker').undo).toBe('normalize-anthropic-staged');
    for (const [id, provider] of [
      ['normalize-openai-staged', 'openai'],
      ['normalize-anthropic-staged', 'anthropic'],
    ] as const) {
      const run = action(id).run;
      if (run.type !== 'sequence') throw new Error(`${id} is not a sequence`);
      expect(run.steps.map((s) => (s.type === 'http' ? s.url.split('/').at(-1) : s.type))).toEqual([
        'test',
        'wait',
        'disable',
      ]);
      expect(run.steps[0]).toMatchObject({
        url: expect.stringContaining(`/circuit-breaker/${provider}/test`),
        expect: { json: { path: 'probe.upstream_healthy', equals: true } },
      });
      // The staged release holds its breaker: a new "enable" waits instead of being overridden.
      expect(action(id).target).toBe(`${provider}-circuit-breaker`);
      expect(action(`s3-${provider}-circuit-breaker`).target).toBe(`${provider}-circuit-breaker`);
    }
  });

  it('reads the old value before changing it where its undo restores it', () => {
    expect(action('s1-shrink-redis-cache').capture).toEqual([
      {
        as: 'PREVIOUS_MAXMEMORY',
        read: expect.objectContaining({ type: 'redis', command: ['CONFIG', 'GET', 'maxmemory'] }),
        path: '1',
      },
    ]);
    expect(action('normalize-redis-maxmemory').run).toMatchObject({
      type: 'redis',
      command: ['CONFIG', 'SET', 'maxmemory', '${PREVIOUS_MAXMEMORY}'],
    });
    expect(action('s4-tcp-keepalive').capture?.[0]?.read).toMatchObject({
      command: ['sysctl', '-n', 'net.ipv4.tcp_keepalive_time'],
    });
    expect(action('scale-docker-swarm').capture?.[0]?.as).toBe('PREVIOUS_SWARM_REPLICAS');
  });

  it('gives every probe an explicit timeout and every seed-derived entry a source', () => {
    for (const probe of seed.probes) expect(probe.timeout, probe.id).toMatch(/^\d+(ms|s|m)$/);
    const withoutSource = seed.actions.filter((a) => !a.source).map((a) => a.id);
    expect(withoutSource.every((id) => id.startsWith('normalize-'))).toBe(true);
  });
});
