// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings, not JS templates.
import { describe, expect, it } from 'vitest';
import { describeRunbook } from '../../../src/runbooks/describe-runbook.js';
import { runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { argvText, conditionText } from '../../../src/runbooks/runbook-text.js';

const small = runbookSchema.parse({
  kind: 'demo',
  title: 'Demo outage',
  severity: 'critical',
  triggers: { alerts: [{ alert: 'DemoDown', expr: 'up == 0', for: '1m', labels: { severity: 'critical' } }] },
  probes: [
    {
      id: 'api',
      title: 'API health',
      step: 1,
      check: { type: 'http', url: '${API_URL:-http://localhost:8002}/health' },
      threshold: { warn: 1000, critical: 2000, unit: 'ms' },
      timeout: '5s',
    },
    {
      id: 'cpu',
      title: 'CPU',
      step: 2,
      check: { type: 'host', metric: 'cpu' },
      threshold: { critical: 80, unit: '%' },
    },
  ],
  scenarios: [
    { id: 'hot', number: 1, title: 'Hot CPU', detect: { probe: 'cpu', op: '>', value: 80 }, probes: ['cpu'] },
  ],
  groups: [
    { id: 'P1', title: 'Traffic control', deadline: '30s' },
    { id: 'hot-actions', title: 'Cool down', scenario: 'hot' },
    { id: 'normalize', title: 'After recovery', offer: 'after-recovery' },
  ],
  actions: [
    {
      id: 'limit',
      title: 'Rate limit',
      group: 'P1',
      run: {
        type: 'http',
        method: 'POST',
        url: '${API_URL:-http://localhost:8002}/admin/limit',
        headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
        body: { rpm: 100 },
      },
      undo: 'unlimit',
    },
    {
      id: 'restart',
      title: 'Restart',
      group: 'hot-actions',
      destructive: true,
      when: {
        any: [
          { probe: 'cpu', op: '>', value: 80 },
          { probe: 'api', verdict: ['critical'] },
        ],
      },
      run: {
        type: 'sequence',
        steps: [
          { type: 'process', command: ['systemctl', 'restart', 'api'] },
          { type: 'wait', duration: '30s' },
        ],
      },
    },
    {
      id: 'unlimit',
      title: 'Lift the limit',
      group: 'normalize',
      run: { type: 'http', method: 'DELETE', url: '${API_URL:-http://localhost:8002}/admin/limit' },
    },
  ],
  checklist: [
    { id: 'cool', title: 'CPU < 70 %', within: '30m', condition: { probe: 'cpu', op: '<', value: 70 } },
  ],
});

describe('describeRunbook', () => {
  it('prints the plan in reading order, with variables as written', () => {
    expect(describeRunbook(small)).toMatchInlineSnapshot(`
      "demo — Demo outage [critical]

      TRIGGERS
        alert DemoDown: up == 0 for 1m (severity=critical)

      DIAGNOSIS — probes run in parallel when the incident opens
        step 1
          api: API health
            GET \${API_URL:-http://localhost:8002}/health (latency); warn >= 1000 ms, critical >= 2000 ms; timeout 5s
        step 2
          cpu: CPU
            host cpu; critical >= 80 %; timeout 5s

      ACTIONS
        P1 Traffic control — within 30s
          limit: Rate limit
            POST \${API_URL:-http://localhost:8002}/admin/limit
              Authorization: Bearer \${ADMIN_TOKEN}
              body {"rpm":100}
            undo: unlimit

      SCENARIOS
        1. Hot CPU (hot)
          detected when cpu > 80
          diagnosis probes: cpu
          hot-actions Cool down
            restart: Restart [destructive]
              only when cpu > 80 or api is critical
              in order, stopping at the first failure:
              1. $ systemctl restart api
              2. wait 30s

      RECOVERY CHECKLIST
        within 30m of recovery
          [ ] CPU < 70 % — cpu < 70

      NORMALIZATION — offered after recovery
        normalize After recovery
          unlimit: Lift the limit
            DELETE \${API_URL:-http://localhost:8002}/admin/limit
            undoes: limit
      "
    `);
  });

  it('never resolves variables, whatever the environment holds', () => {
    process.env.ADMIN_TOKEN = 'super-secret-value';
    try {
      const text = describeRunbook(small);
      expect(text).toContain('Bearer ${ADMIN_TOKEN}');
      expect(text).not.toContain('super-secret-value');
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
  });
});

describe('runbook text helpers', () => {
  it('quote argv the way a shell would need it', () => {
    expect(argvText(['find', '/var/log', '-name', '*.log', '-exec', 'gzip', '{}', ';'])).toBe(
      "find /var/log -name '*.log' -exec gzip '{}' ';'",
    );
    expect(argvText(["it's"])).toBe(`'it'\\''s'`);
  });

  it('parenthesize nested conditions', () => {
    const condition = {
      all: [
        { probe: 'a', op: '>' as const, value: 1 },
        {
          any: [
            { probe: 'b', verdict: ['critical' as const] },
            { probe: 'c', field: 'rps', op: '<' as const, value: 2 },
          ],
        },
      ],
    };
    expect(conditionText(condition)).toBe('a > 1 and (b is critical or c.rps < 2)');
  });
});
