import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureHost } from '../../../src/diagnostics/probes/measure-host.js';
import { runProbe } from '../../../src/diagnostics/run-probe.js';
import { probeSchema } from '../../../src/runbooks/runbook-schema.js';

// proc(5) excerpts: the cpu line, then 1000 more jiffies of which 900 busy, 50 idle, 50 iowait.
const STAT_1 = 'cpu  10000 0 5000 80000 1000 0 0 0 0 0\ncpu0 5000 0 2500 40000 500 0 0 0 0 0\nintr 1\n';
const STAT_2 = 'cpu  10700 0 5200 80050 1050 0 0 0 0 0\ncpu0 5350 0 2600 40025 525 0 0 0 0 0\nintr 2\n';
const MEMINFO =
  'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    2400000 kB\nHugePages_Total:       0\n';
const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcpRow = (state: string) =>
  `   0: 0100007F:1F41 0100007F:C350 ${state} 00000000:00000000 00:00000000 00000000  1000        0 12345 1\n`;
const diskRow = (name: string, ioTicks: number) =>
  `   8       0 ${name} 100 0 800 10 200 0 1600 20 0 ${ioTicks} 30 0 0 0 0 0 0\n`;

let root: string;
const signal = new AbortController().signal;
const probe = (metric: string, threshold?: object) =>
  probeSchema.parse({
    id: `host-${metric}`,
    title: metric,
    step: 2,
    check: { type: 'host', metric },
    threshold,
  });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'firebreak-proc-'));
  mkdirSync(join(root, 'net'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('host probe on fixture /proc files', () => {
  it('measures cpu busy % between two samples of /proc/stat', async () => {
    writeFileSync(join(root, 'stat'), STAT_1);
    const result = await measureHost(
      { type: 'host', metric: 'cpu' },
      { signal, procRoot: root, pause: async () => writeFileSync(join(root, 'stat'), STAT_2) },
    );
    expect(result).toMatchObject({ value: 90, unit: '%', values: { iowait: 5, steal: 0 } });
    expect(result.detail).toBe('90 % busy over 200 ms');
  });

  it('measures the busiest disk between two samples of /proc/diskstats', async () => {
    writeFileSync(join(root, 'diskstats'), diskRow('loop0', 0) + diskRow('sda', 1000) + diskRow('sdb', 5000));
    const clock = [0, 1000];
    const result = await measureHost(
      { type: 'host', metric: 'disk-io' },
      {
        signal,
        procRoot: root,
        now: () => clock.shift() ?? 1000,
        pause: async () =>
          writeFileSync(
            join(root, 'diskstats'),
            diskRow('loop0', 999) + diskRow('sda', 1250) + diskRow('sdb', 5930),
          ),
      },
    );
    expect(result).toMatchObject({ value: 93, unit: '%', detail: 'sdb 93 % busy' });
  });

  it('measures memory through runProbe with the injected procRoot, judged against the threshold', async () => {
    writeFileSync(join(root, 'meminfo'), MEMINFO);
    const result = await runProbe(probe('memory', { critical: 85, unit: '%' }), { vars: {}, procRoot: root });
    expect(result).toMatchObject({
      probeId: 'host-memory',
      step: 2,
      verdict: 'critical',
      value: 85,
      unit: '%',
      threshold: '≥ 85 %',
      values: { total_mb: 15625, available_mb: 2344 },
    });
  });

  it('counts TCP and UDP sockets, tolerating a missing IPv6 table', async () => {
    writeFileSync(join(root, 'net/tcp'), TCP_HEADER + tcpRow('0A') + tcpRow('01') + tcpRow('01'));
    writeFileSync(join(root, 'net/tcp6'), TCP_HEADER + tcpRow('06'));
    writeFileSync(join(root, 'net/udp'), TCP_HEADER + tcpRow('07'));
    const result = await runProbe(probe('connections', { warn: 4, critical: 1000 }), {
      vars: {},
      procRoot: root,
    });
    expect(result).toMatchObject({
      verdict: 'warn',
      value: 5,
      values: { tcp: 4, udp: 1, established: 2, listening: 2 },
      detail: '4 TCP (2 established, 2 listening), 1 UDP',
    });
    expect(result).not.toHaveProperty('unit');
  });

  it('turns an unusable sample into unknown with the reason', async () => {
    writeFileSync(join(root, 'stat'), STAT_1);
    const result = await runProbe(probe('cpu'), { vars: {}, procRoot: root, hostSampleMs: 5 });
    expect(result).toMatchObject({
      verdict: 'unknown',
      detail: 'no CPU time elapsed between the two /proc/stat samples',
    });
    const missing = await runProbe(probe('memory'), { vars: {}, procRoot: join(root, 'nope') });
    expect(missing.verdict).toBe('unknown');
    expect(missing.detail).toMatch(/ENOENT/);
  });

  it('reads the real /proc of this host', async () => {
    const result = await runProbe(probe('cpu'), { vars: {}, hostSampleMs: 50 });
    expect(result.verdict).toBe('ok');
    expect(result.value).toBeGreaterThanOrEqual(0);
    expect(result.value).toBeLessThanOrEqual(100);
  });
});
