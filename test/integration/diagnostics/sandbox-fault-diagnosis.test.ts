import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runDiagnosis } from '../../../src/diagnostics/run-diagnosis.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { Condition, Runbook } from '../../../src/runbooks/runbook-schema.js';
import { MEM_TOTAL_KB } from '../../../src/sandbox/host-model.js';
import type { SandboxMode } from '../../../src/sandbox/sandbox.js';
import { sandboxTargetEnv } from '../../../src/sandbox/sandbox-target-env.js';
import { startSandbox } from '../sandbox/sandbox-harness.js';

let runbook: Runbook;
beforeAll(async () => {
  const found = (await loadRunbooks('commands')).get('503');
  if (!found) throw new Error('commands/503.yaml did not load');
  runbook = found;
});

/** Each sandbox mode and the root cause the seed runbook should name for it. */
const CASES: [SandboxMode, string[]][] = [
  ['healthy', []],
  // A surge that traffic control drains: warning levels everywhere, no root cause to blame.
  ['spike', []],
  ['resource-exhaustion', ['resource-exhaustion']],
  ['database-bottleneck', ['database-bottleneck']],
  ['upstream-outage', ['external-api-outage']],
  ['network-saturation', ['network-saturation']],
];

function probesIn(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(probesIn);
  if ('any' in condition) return condition.any.flatMap(probesIn);
  return [condition.probe];
}

describe('the 503 runbook’s classifier against the sandbox’s faults', () => {
  it.each(CASES)('%s → %j', async (mode, expected) => {
    const { sandbox, urls } = await startSandbox({ mode });
    const files = sandbox.files();
    const diagnosis = await runDiagnosis(runbook, {
      vars: {
        ...sandboxTargetEnv(urls, files),
        OPENAI_API_KEY: 'sk-test',
        TARGET_REDIS_URL: inject('redisUrl'),
        PATH: process.env.PATH ?? '',
      },
      procRoot: files.procRoot,
      allowedPrograms: new Set(['lsof', 'ss', 'ps']),
    });
    const matched = diagnosis.scenarios.filter((s) => s.matched);
    expect(
      matched.map((s) => s.scenarioId),
      JSON.stringify(diagnosis.scenarios),
    ).toEqual(expected);

    // The host readings are the simulated host's, not this machine's: its memory size, and `ss -s`
    // counting the same sockets as the host probe.
    const result = (id: string) => diagnosis.results.find((r) => r.probeId === id);
    expect(result('host-memory')?.values?.total_mb).toBe(Math.round(MEM_TOTAL_KB / 1024));
    expect(result('host-cpu')?.verdict).not.toBe('unknown');
    expect(result('tcp-summary')?.value).toBe(result('host-connections')?.values?.tcp);
    expect(result('sqlite-db-holders')?.verdict).not.toBe('unknown');
    expect(result('error-log-patterns')?.verdict).not.toBe('unknown');
  });

  it('decides on no probe that reads the machine running the bot', () => {
    // `lsof` without a path and `ps` list every process of the machine they run on (lsof once per
    // thread): evidence for a reader, never a cause. Host probes follow HOST_PROC_ROOT, `ss` PROC_ROOT.
    const machineWide = new Set(['sqlite-lock-holders', 'generation-service-processes']);
    for (const scenario of runbook.scenarios) {
      expect(
        probesIn(scenario.detect).filter((id) => machineWide.has(id)),
        scenario.id,
      ).toEqual([]);
    }
  });
});
