// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import type { ProbeResult } from '../../../../src/diagnostics/probe-result.js';
import type { Diagnosis } from '../../../../src/diagnostics/run-diagnosis.js';
import type { ActionState } from '../../../../src/incidents/action-state.js';
import type { Incident } from '../../../../src/incidents/incident.js';
import { type Runbook, runbookSchema } from '../../../../src/runbooks/runbook-schema.js';

/** Inputs for the Block Kit renderers: small, fixed (no clock, no randomness), so snapshots are stable. */

export const OPENED_AT = '2026-11-25T02:00:00.000Z';

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '20261125-503-k3f9',
    kind: '503',
    title: 'HTTP 503 error spike',
    summary: 'checkout returns 503 for <everyone> & more',
    severity: 'critical',
    status: 'investigating',
    openedBy: 'U0ALICE001',
    openedVia: 'slack',
    openedAt: OPENED_AT,
    progress: { prepared: true, announced: true, diagnosed: true, offered: true },
    ...overrides,
  };
}

export function runbook(): Runbook {
  return runbookSchema.parse({
    kind: '503',
    title: 'HTTP 503 error spike',
    severity: 'critical',
    probes: [
      {
        id: 'generation-health',
        title: 'Generation service health',
        step: 1,
        check: { type: 'http', url: '${GENERATION_SERVICE_URL}/health' },
        threshold: { warn: 1000, critical: 2000, unit: 'ms' },
      },
      {
        id: 'host-memory',
        title: 'Memory',
        step: 2,
        check: { type: 'host', metric: 'memory' },
        threshold: { warn: 75, critical: 85, unit: '%' },
      },
    ],
    scenarios: [
      {
        id: 'resource-exhaustion',
        number: 1,
        title: 'Resource exhaustion',
        detect: { probe: 'host-memory', op: '>=', value: 85 },
      },
    ],
    groups: [
      { id: 'P1', title: 'Traffic control', deadline: '30s' },
      { id: 'S1', title: 'Free memory', scenario: 'resource-exhaustion' },
      { id: 'N', title: 'Normalize', offer: 'after-recovery' },
    ],
    actions: [
      {
        id: 'p1-rate-limit',
        title: 'Emergency rate limit',
        group: 'P1',
        description: 'Caps requests at 100/min.',
        run: {
          type: 'http',
          method: 'POST',
          url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/api/admin/rate-limit/emergency',
          headers: { Authorization: 'Bearer ${ADMIN_TOKEN}' },
          body: { requests_per_minute: 100 },
        },
      },
      {
        id: 'p1-breaker',
        title: 'Circuit breaker on <batch> & search',
        group: 'P1',
        run: { type: 'http', method: 'POST', url: 'http://localhost:8002/api/admin/circuit-breaker/enable' },
      },
      {
        id: 's1-flush-temp',
        title: 'Flush temporary keys',
        group: 'S1',
        destructive: true,
        when: { probe: 'host-memory', op: '>=', value: 85 },
        run: { type: 'redis', url: '${TARGET_REDIS_URL}', db: 1, command: ['FLUSHDB'] },
      },
      {
        id: 'n-restore-limit',
        title: 'Restore the default rate limit',
        group: 'N',
        run: { type: 'http', method: 'DELETE', url: 'http://localhost:8002/api/admin/rate-limit/emergency' },
      },
    ],
    monitoring: { dashboards: [{ title: 'Grafana · 503s', url: 'https://grafana.example/d/503' }] },
  });
}

export function result(
  overrides: Partial<ProbeResult> & Pick<ProbeResult, 'probeId' | 'verdict'>,
): ProbeResult {
  return { title: overrides.probeId, detail: '', durationMs: 12, ...overrides };
}

export function diagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    startedAt: '2026-11-25T02:00:01.000Z',
    finishedAt: '2026-11-25T02:00:03.400Z',
    results: [
      result({
        probeId: 'generation-health',
        title: 'Generation service health',
        step: 1,
        verdict: 'critical',
        value: 2510,
        unit: 'ms',
        threshold: 'warn ≥ 1000 ms, critical ≥ 2000 ms',
        detail: 'HTTP 503 in 2.5 s',
      }),
      result({
        probeId: 'project-health',
        title: 'Project service health',
        step: 1,
        verdict: 'ok',
        value: 42,
        unit: 'ms',
        detail: 'HTTP 200',
      }),
      result({
        probeId: 'host-memory',
        title: 'Memory',
        step: 2,
        verdict: 'warn',
        value: 81.26,
        unit: '%',
        threshold: 'warn ≥ 75 %, critical ≥ 85 %',
        detail: 'used 13 of 16 GiB',
      }),
      result({
        probeId: 'sqlite-locks',
        title: 'SQLite lock holders',
        step: 3,
        verdict: 'unknown',
        detail: 'program lsof is not allowed on this host',
      }),
    ],
    scenarios: [
      {
        scenarioId: 'resource-exhaustion',
        number: 1,
        title: 'Resource exhaustion',
        matched: false,
        evidence: [],
      },
    ],
    ...overrides,
  };
}

export function state(actionId: string, overrides: Partial<ActionState> = {}): ActionState {
  return { actionId, groupId: 'P1', status: 'offered', ...overrides };
}

export function states(...list: ActionState[]): Map<string, ActionState> {
  return new Map(list.map((s) => [s.actionId, s]));
}
