// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runDiagnosis } from '../../../src/diagnostics/run-diagnosis.js';
import { type Runbook, runbookSchema } from '../../../src/runbooks/runbook-schema.js';
import { type LocalServer, sendJson, startServer } from './local-server.js';

let service: LocalServer;
let upstream: LocalServer;
let procRoot: string;
let runbook: Runbook;

const LOG_PATTERNS = ['ERROR: Service unavailable - upstream timeout', 'ERROR: Connection pool exhausted'];

beforeAll(async () => {
  service = await startServer((req, res) => {
    if (req.url?.startsWith('/api/v1/query')) {
      return sendJson(res, 200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1795000000, '31.5'] }] },
      });
    }
    return sendJson(res, 200, { status: 'ok' });
  });
  // The LLM upstream accepts connections and never answers.
  upstream = await startServer(() => {});
  procRoot = mkdtempSync(join(tmpdir(), 'firebreak-proc-'));
  writeFileSync(join(procRoot, 'meminfo'), 'MemTotal: 1000000 kB\nMemAvailable: 80000 kB\n');
  writeFileSync(join(procRoot, 'app.log'), `${LOG_PATTERNS[0]}\n${LOG_PATTERNS[0]}\nINFO: ok\n`);

  runbook = runbookSchema.parse({
    kind: '503',
    title: 'HTTP 503 spike',
    triggers: { logPatterns: LOG_PATTERNS },
    probes: [
      {
        id: 'openai-models',
        title: 'OpenAI API',
        step: 4,
        timeout: '800ms',
        check: { type: 'http', url: '${OPENAI_BASE_URL:-https://api.openai.com}/v1/models' },
      },
      {
        id: 'generation-health',
        title: 'Generation service',
        step: 1,
        check: { type: 'http', url: '${GENERATION_SERVICE_URL:-http://localhost:8002}/health' },
        threshold: { warn: 1000, critical: 2000, unit: 'ms' },
      },
      {
        id: 'http-503-rate',
        title: '503 rate',
        step: 1,
        check: {
          type: 'prometheus',
          url: '${PROMETHEUS_URL}',
          query: 'sum(rate(http_requests_total{status="503"}[5m]))',
        },
        threshold: { op: '>', critical: 20, unit: 'req/s' },
      },
      {
        id: 'memory',
        title: 'Memory',
        step: 2,
        check: { type: 'host', metric: 'memory' },
        threshold: { critical: 85 },
      },
      {
        id: 'sqlite-locks',
        title: 'SQLite locks',
        step: 3,
        check: { type: 'command', command: ['lsof'], filter: '\\.db$' },
        threshold: { critical: 10 },
      },
      { id: 'redis', title: 'Redis', step: 3, check: { type: 'redis', url: '${REDIS_URL}' } },
      { id: 'logs', title: 'Log patterns', step: 1, check: { type: 'logs', file: '${LOG_FILE}' } },
      {
        id: 'load-test',
        title: 'Load test',
        check: { type: 'loadtest', url: '${GENERATION_SERVICE_URL}/health', requests: 20, concurrency: 2 },
      },
    ],
    scenarios: [
      {
        id: 'external-api-outage',
        number: 3,
        title: 'External API outage',
        detect: {
          all: [
            { probe: 'openai-models', verdict: ['critical'] },
            { probe: 'generation-health', verdict: ['ok', 'warn'] },
          ],
        },
      },
      {
        id: 'database-bottleneck',
        number: 2,
        title: 'Database bottleneck',
        detect: {
          any: [
            { probe: 'sqlite-locks', op: '>', value: 10 },
            { probe: 'redis', verdict: ['critical'] },
          ],
        },
      },
      {
        id: 'resource-exhaustion',
        number: 1,
        title: 'Resource exhaustion',
        detect: { any: [{ probe: 'memory', op: '>', value: 85 }] },
      },
      {
        id: 'network-saturation',
        number: 4,
        title: 'Network saturation',
        detect: { probe: 'generation-health', op: '>', value: 5000 },
      },
    ],
    groups: [{ id: 'P1', title: 'Traffic control', deadline: '30s' }],
    actions: [
      {
        id: 'p1-emergency-rate-limit',
        title: 'Emergency rate limit',
        group: 'P1',
        run: {
          type: 'http',
          method: 'POST',
          url: '${GENERATION_SERVICE_URL}/api/admin/rate-limit/emergency',
        },
      },
    ],
  });
});

afterAll(async () => {
  await Promise.all([service.close(), upstream.close()]);
  rmSync(procRoot, { recursive: true, force: true });
});

const vars = () => ({
  OPENAI_BASE_URL: upstream.url,
  GENERATION_SERVICE_URL: service.url,
  PROMETHEUS_URL: service.url,
  REDIS_URL: inject('redisUrl'),
  LOG_FILE: join(procRoot, 'app.log'),
});

describe('runDiagnosis', () => {
  it('runs the step probes in parallel, bounded by the hanging probe’s timeout, and classifies', async () => {
    const started = performance.now();
    const diagnosis = await runDiagnosis(runbook, { vars: vars(), procRoot, allowedPrograms: new Set() });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(780);
    expect(elapsed).toBeLessThan(1500);

    expect(diagnosis.results.map((r) => [r.probeId, r.verdict])).toEqual([
      ['generation-health', 'ok'],
      ['http-503-rate', 'critical'],
      ['logs', 'ok'],
      ['memory', 'critical'],
      ['sqlite-locks', 'unknown'],
      ['redis', 'ok'],
      ['openai-models', 'critical'],
    ]);
    const byId = new Map(diagnosis.results.map((r) => [r.probeId, r]));
    expect(byId.get('openai-models')).toMatchObject({ detail: 'timed out after 800 ms', step: 4 });
    expect(byId.get('http-503-rate')).toMatchObject({ value: 31.5, threshold: '> 20 req/s' });
    expect(byId.get('logs')).toMatchObject({ value: 2, values: { [LOG_PATTERNS[0] as string]: 2 } });
    expect(byId.get('sqlite-locks')?.detail).toBe(
      'lsof is not allowed on this host: add it to EXECUTOR_ALLOWED_PROGRAMS',
    );

    expect(diagnosis.scenarios).toEqual([
      {
        scenarioId: 'resource-exhaustion',
        number: 1,
        title: 'Resource exhaustion',
        matched: true,
        evidence: ['memory 92 % > 85'],
      },
      {
        scenarioId: 'external-api-outage',
        number: 3,
        title: 'External API outage',
        matched: true,
        evidence: [
          'openai-models: critical (timed out after 800 ms)',
          expect.stringMatching(/^generation-health: ok \(HTTP 200 in .+\)$/),
        ],
      },
      {
        scenarioId: 'database-bottleneck',
        number: 2,
        title: 'Database bottleneck',
        matched: false,
        evidence: [
          'sqlite-locks: unknown (lsof is not allowed on this host: add it to EXECUTOR_ALLOWED_PROGRAMS)',
          expect.stringMatching(/^redis: ok \(PONG in .+\)$/),
        ],
      },
      {
        scenarioId: 'network-saturation',
        number: 4,
        title: 'Network saturation',
        matched: false,
        evidence: [expect.stringMatching(/^generation-health \d+(\.\d)? ms not > 5000$/)],
      },
    ]);
    expect(Date.parse(diagnosis.finishedAt) - Date.parse(diagnosis.startedAt)).toBeGreaterThanOrEqual(780);
  });

  it('runs exactly the probes named by probeIds, steps or not', async () => {
    const diagnosis = await runDiagnosis(runbook, { vars: vars(), probeIds: ['load-test', 'redis'] });
    expect(diagnosis.results.map((r) => r.probeId)).toEqual(['redis', 'load-test']);
    expect(diagnosis.results[1]?.values).toMatchObject({ requests: 20, failed: 0 });
  });

  it('stops every probe when the caller cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const diagnosis = await runDiagnosis(runbook, {
      vars: vars(),
      probeIds: ['openai-models'],
      signal: controller.signal,
    });
    expect(performance.now() - started).toBeLessThan(600);
    expect(diagnosis.results[0]).toMatchObject({
      verdict: 'unknown',
      detail: 'cancelled before it finished',
    });
  });
});
