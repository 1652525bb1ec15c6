/**
 * Pure parsers for the /proc files the host probe reads (proc(5)). Kept apart from the I/O so
 * they can be tested on text alone and reused by the sandbox.
 */

/** Aggregate CPU jiffies from the `cpu` line of /proc/stat. */
export interface CpuTimes {
  total: number;
  idle: number;
  iowait: number;
  steal: number;
}

export function parseCpuTimes(stat: string): CpuTimes {
  const line = stat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('no "cpu" line in /proc/stat');
  // user nice system idle iowait irq softirq steal; guest time is already counted in user.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle, iowait, steal };
}

/** Busy share between two samples, as `top`'s "Cpu(s)" line shows it (100 − idle − iowait). */
export function cpuUsage(before: CpuTimes, after: CpuTimes): { busy: number; iowait: number; steal: number } {
  const elapsed = after.total - before.total;
  if (elapsed <= 0) throw new Error('no CPU time elapsed between the two /proc/stat samples');
  const share = (n: number) => Math.round((n / elapsed) * 1000) / 10;
  const idle = after.idle - before.idle + (after.iowait - before.iowait);
  return {
    busy: share(elapsed - idle),
    iowait: share(after.iowait - before.iowait),
    steal: share(after.steal - before.steal),
  };
}

/** /proc/meminfo in kB by field name. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const match of text.matchAll(/^(\w+(?:\(\w+\))?):\s+(\d+)/gm)) {
    fields.set(match[1] as string, Number(match[2]));
  }
  return fields;
}

/** Used memory as `free` counts it for the seed's 85 % rule: (MemTotal − MemAvailable) / MemTotal. */
export function memoryUsage(meminfo: Map<string, number>): {
  percent: number;
  totalMb: number;
  availableMb: number;
} {
  const total = meminfo.get('MemTotal');
  const available = meminfo.get('MemAvailable');
  if (!total || available === undefined) throw new Error('/proc/meminfo has no MemTotal or MemAvailable');
  return {
    percent: Math.round(((total - available) / total) * 1000) / 10,
    totalMb: Math.round(total / 1024),
    availableMb: Math.round(available / 1024),
  };
}

/** Socket counts from /proc/net/{tcp,tcp6,udp,udp6}: one line per socket after the header. */
export interface SocketCounts {
  tcp: number;
  udp: number;
  established: number;
  listening: number;
}

const TCP_ESTABLISHED = '01';
const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

export function countSockets(tables: { tcp: string[]; udp: string[] }): SocketCounts {
  const counts: SocketCounts = { tcp: 0, udp: 0, established: 0, listening: 0 };
  const rows = (text: string) =>
    text
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/)[3]);
  for (const state of tables.tcp.flatMap(rows)) {
    counts.tcp += 1;
    if (state === TCP_ESTABLISHED) counts.established += 1;
    if (state === TCP_LISTEN) counts.listening += 1;
  }
  for (const state of tables.udp.flatMap(rows)) {
    counts.udp += 1;
    if (state === TCP_ESTABLISHED) counts.established += 1;
    if (state === UDP_UNCONNECTED) counts.listening += 1;
  }
  return counts;
}

/** `io_ticks` (ms the device was busy, field 13) per block device from /proc/diskstats. */
export function parseDiskstats(text: string): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    const name = parts[2];
    const ioTicks = Number(parts[12]);
    // Loop and RAM devices are not disks; their busy time would only hide the real ones.
    if (!name || !Number.isFinite(ioTicks) || /^(loop|ram|sr)\d/.test(name)) continue;
    ticks.set(name, ioTicks);
  }
  return ticks;
}

/** The busiest device's %util between two samples, as `iostat -x` reports it. */
export function busiestDisk(
  before: Map<string, number>,
  after: Map<string, number>,
  elapsedMs: number,
): { device: string; percent: number } | undefined {
  if (elapsedMs <= 0) throw new Error('no time elapsed between the two /proc/diskstats samples');
  let busiest: { device: string; percent: number } | undefined;
  for (const [device, ticks] of after) {
    const previous = before.get(device);
    if (previous === undefined) continue;
    const percent = Math.min(100, Math.round(((ticks - previous) / elapsedMs) * 1000) / 10);
    if (!busiest || percent > busiest.percent) busiest = { device, percent };
  }
  return busiest;
}
