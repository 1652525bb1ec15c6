import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';
import { admin, sleep, startSandbox } from './sandbox-harness.js';

const run = promisify(execFile);
const hostProbe = (metric: string) =>
  probeSchema.parse({ id: `host-${metric}`, title: metric, check: { type: 'host', metric } });

/** `lsof <file>`: one line per open descriptor after the header; exit 1 and nothing when none is. */
async function holders(file: string): Promise<number> {
  const output = await run('lsof', [file]).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  );
  return output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('COMMAND')).length;
}

describe('the sandbox’s simulated host', () => {
  it('shows its CPU and memory to the real host probe through its procfs tree, and follows the mode', async () => {
    const { sandbox } = await startSandbox({ mode: 'resource-exhaustion' });
    const { procRoot } = sandbox.files();
    // A one-second window between the two samples: the tree moves in sandbox ticks and whole jiffies,
    // and the probe's own 200 ms can span a single late tick on a loaded machine (40 jiffies over four
    // CPUs, where flooring alone is worth ±4 %). Over a second it is worth less than ±3.
    const hostSampleMs = 1000;
    const cpu = await runProbe(hostProbe('cpu'), { vars: {}, procRoot, hostSampleMs });
    expect(cpu.verdict).not.toBe('unknown');
    expect(cpu.value).toBeGreaterThanOrEqual(91);
    expect(cpu.value).toBeLessThanOrEqual(97);
    expect(await runProbe(hostProbe('memory'), { vars: {}, procRoot })).toMatchObject({ value: 91 });

    sandbox.setMode('healthy');
    await expect
      .poll(async () => (await runProbe(hostProbe('memory'), { vars: {}, procRoot })).value)
      .toBe(48);
    const calm = await runProbe(hostProbe('cpu'), { vars: {}, procRoot, hostSampleMs });
    expect(calm.value).toBeGreaterThanOrEqual(32);
    expect(calm.value).toBeLessThanOrEqual(38);
  });

  it('holds real descriptors on its database, as many as lsof should see, and lets go when queries are killed', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'database-bottleneck' });
    const { database } = sandbox.files();
    expect(await holders(database)).toBe(48);

    const kill = await admin(urls.project, '/api/admin/db/kill-long-queries', {
      body: { max_duration_seconds: 30 },
    });
    expect(kill).toMatchObject({ status: 200, body: { killed_queries: 3 } });
    expect(sandbox.isHealthy()).toBe(true);
    await expect.poll(() => holders(database)).toBe(2);
  });

  it('writes the generation service’s log with the fault’s lines, a backlog included', async () => {
    const { sandbox, urls } = await startSandbox({ mode: 'network-saturation' });
    const log = () => readFileSync(sandbox.files().generationLog, 'utf8').trimEnd().split('\n');
    const first = log();
    // Thirty seconds of history at 8 lines/s, in Python logging's format.
    expect(first.length).toBeGreaterThanOrEqual(230);
    expect(first.at(-1)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR: Connection pool exhausted$/);
    await sleep(300);
    expect(log().length).toBeGreaterThan(first.length);

    // The runbook's scenario 4 fix ends the saturation: connections and the pool errors stop.
    await admin(urls.generation, '/api/admin/connection-pool/resize', {
      body: { max_connections: 50, min_connections: 5 },
    });
    expect(sandbox.isHealthy()).toBe(true);
    await sleep(100); // an append that began before the fix has landed by now
    const recovered = log().length;
    await sleep(300);
    expect(
      log()
        .slice(recovered)
        .filter((line) => line.includes('Connection pool exhausted')),
    ).toEqual([]);
  });

  it('ends resource exhaustion with either of the runbook’s fixes: heavy jobs paused, or fewer workers', async () => {
    const paused = await startSandbox({ mode: 'resource-exhaustion' });
    expect(paused.sandbox.state().host).toMatchObject({ cpu: 94, memory: 91 });
    await admin(paused.urls.generation, '/api/admin/jobs/pause-heavy', {
      body: { job_types: ['batch_generation', 'large_document_rag'] },
    });
    expect(paused.sandbox.state()).toMatchObject({ healthy: true, host: { cpu: 35, memory: 48 } });

    const scaled = await startSandbox({ mode: 'resource-exhaustion' });
    await admin(scaled.urls.generation, '/api/admin/workers/scale', { body: { target_workers: 4 } });
    expect(scaled.sandbox.isHealthy()).toBe(false);
    await admin(scaled.urls.generation, '/api/admin/workers/scale', { body: { target_workers: 2 } });
    expect(scaled.sandbox.isHealthy()).toBe(true);
  });

  it('removes its files and closes its descriptors on stop', async () => {
    const { sandbox } = await startSandbox({ mode: 'database-bottleneck' });
    const files = sandbox.files();
    await sandbox.stop();
    for (const path of Object.values(files)) expect(existsSync(path), path).toBe(false);
    expect(() => sandbox.files()).toThrow(/no files until start\(\)/);
  });
});
