import { describe, expect, it } from 'vitest';
import {
  busiestDisk,
  countSockets,
  cpuUsage,
  memoryUsage,
  parseCpuTimes,
  parseDiskstats,
  parseMeminfo,
} from '../../../src/diagnostics/probes/proc-stats.js';
import { FAULT_PROFILES } from '../../../src/sandbox/fault-profiles.js';
import { advanceHost, bootedHost, type HostLoad, MEM_TOTAL_KB } from '../../../src/sandbox/host-model.js';
import { renderNetTables } from '../../../src/sandbox/render-net-tables.js';
import {
  type HostSnapshot,
  renderDiskstats,
  renderMeminfo,
  renderStat,
} from '../../../src/sandbox/render-procfs.js';

const regimes = Object.entries(FAULT_PROFILES).map(([regime, profile]) => [regime, profile.host] as const);

/** Two snapshots of a host that has run at `load` for a day, `seconds` apart. */
function twoSamples(load: HostLoad, seconds: number): [HostSnapshot, HostSnapshot] {
  const counters = bootedHost(FAULT_PROFILES.normal.host, 86_400);
  const before = { load, counters: { ...counters }, bootTime: 1_795_000_000 };
  advanceHost(counters, load, seconds);
  return [before, { ...before, counters }];
}

describe('the sandbox procfs, read by the host probe’s own parsers', () => {
  it.each(regimes)('%s: two /proc/stat samples 200 ms apart give its CPU busy and iowait', (_, load) => {
    const [before, after] = twoSamples(load, 0.2);
    const usage = cpuUsage(parseCpuTimes(renderStat(before)), parseCpuTimes(renderStat(after)));
    // 80 jiffies over 200 ms on four CPUs; whole jiffies in each sample cost up to two of them, as on
    // a real host sampled that briefly.
    expect(Math.abs(usage.busy - load.cpu)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(usage.iowait - load.iowait)).toBeLessThanOrEqual(2.5);
  });

  it.each(regimes)('%s: /proc/meminfo gives its memory use', (_, load) => {
    const usage = memoryUsage(parseMeminfo(renderMeminfo(load)));
    expect(usage.percent).toBeCloseTo(load.memory, 1);
    expect(usage.totalMb).toBe(Math.round(MEM_TOTAL_KB / 1024));
  });

  it.each(regimes)('%s: two /proc/diskstats samples give its busiest disk', (_, load) => {
    const [before, after] = twoSamples(load, 1);
    const busiest = busiestDisk(
      parseDiskstats(renderDiskstats(before)),
      parseDiskstats(renderDiskstats(after)),
      1000,
    );
    expect(busiest?.device).toBe('nvme0n1');
    expect(busiest?.percent).toBeCloseTo(load.disk, 0);
  });

  it.each(regimes)('%s: net/tcp, tcp6, udp and udp6 hold its connections', (_, load) => {
    const net = renderNetTables(load.established);
    const counts = countSockets({
      tcp: [net['net/tcp'] ?? '', net['net/tcp6'] ?? ''],
      udp: [net['net/udp'] ?? '', net['net/udp6'] ?? ''],
    });
    // Eight IPv4 listeners (nginx, the services, Redis, Prometheus, sshd), sshd on IPv6, chrony's UDP.
    expect(counts).toEqual({
      tcp: load.established + 9,
      udp: 2,
      established: load.established,
      listening: 11,
    });
    expect(net['net/snmp']).toMatch(
      new RegExp(`^Tcp: 1 200 120000 -1 \\d+ \\d+ \\d+ \\d+ ${load.established} `, 'm'),
    );
    expect(net['net/sockstat']).toContain(
      `TCP: inuse ${load.established + 8} orphan 0 tw 0 alloc ${load.established + 9} `,
    );
  });
});

describe('the sandbox procfs, in the kernel’s formats (proc(5))', () => {
  const [snapshot] = twoSamples(FAULT_PROFILES['network-saturation'].host, 1);

  it('writes /proc/stat with the aggregate cpu line first, then one per CPU and the kernel counters', () => {
    const lines = renderStat(snapshot).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cpu {2}(\d+ ){9}\d+$/);
    expect(lines.slice(1, 5).map((line) => line.split(' ')[0])).toEqual(['cpu0', 'cpu1', 'cpu2', 'cpu3']);
    for (const line of lines.slice(1, 5)) expect(line).toMatch(/^cpu\d (\d+ ){9}\d+$/);
    expect(lines.slice(5).map((line) => line.split(' ')[0])).toEqual([
      'intr',
      'ctxt',
      'btime',
      'processes',
      'procs_running',
      'procs_blocked',
      'softirq',
    ]);
    expect(lines).toContain('btime 1795000000');
  });

  it('writes /proc/meminfo names padded to 16 columns and values right-aligned in 8', () => {
    const lines = renderMeminfo(snapshot.load).trimEnd().split('\n');
    expect(lines[0]).toBe(`MemTotal:       ${String(MEM_TOTAL_KB).padStart(8)} kB`);
    for (const line of lines) expect(line).toMatch(/^[\w()]+: +\d+( kB)?$/);
    for (const line of lines) expect(line.replace(/ kB$/, '').length).toBeGreaterThanOrEqual(24);
    expect(lines.find((line) => line.startsWith('HugePages_Total:'))).toBe('HugePages_Total:       0');
  });

  it('writes /proc/diskstats with major, minor, name and the 17 counters of Linux 5.5 and later', () => {
    for (const line of renderDiskstats(snapshot).trimEnd().split('\n')) {
      expect(line).toMatch(/^ {0,3}\d{1,4} {1,7}\d+ \w+( \d+){17}$/);
    }
  });

  it('writes net/tcp rows padded to 149 columns with little-endian IPv4 addresses and hex ports', () => {
    const rows = (renderNetTables(4)['net/tcp'] ?? '').split('\n').filter(Boolean);
    for (const row of rows) expect(row).toHaveLength(149);
    expect(rows[0]?.trimEnd()).toBe(
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    );
    // The generation service (127.0.0.1:8002) listening, then nginx's end of its first connection.
    expect(rows.find((row) => /^ {3}2: /.test(row))).toMatch(/^ {3}2: 0100007F:1F42 00000000:0000 0A /);
    expect(rows.find((row) => / 01 /.test(row))).toMatch(/^ {3}8: 0100007F:8000 0100007F:1F42 01 .* {4}33 /);
  });
});
