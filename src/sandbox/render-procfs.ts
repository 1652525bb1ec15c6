import {
  CPU_MODES,
  cpuSeconds,
  HOST_CPUS,
  type HostCounters,
  type HostLoad,
  memoryKb,
  USER_HZ,
} from './host-model.js';

/** What the time-varying files are rendered from. */
export interface HostSnapshot {
  load: HostLoad;
  counters: HostCounters;
  /** When the simulated host booted, in epoch seconds (`btime`). */
  bootTime: number;
}

const jiffies = (seconds: number) => Math.floor(seconds * USER_HZ);
const whole = (n: number) => Math.floor(n);

/** A cpu line as the kernel prints it: ten columns in USER_HZ ticks, guest and guest_nice last. */
function cpuLine(label: string, seconds: Record<(typeof CPU_MODES)[number], number>): string {
  return `${label} ${CPU_MODES.map((mode) => jiffies(seconds[mode])).join(' ')} 0 0`;
}

/** Shares of the interrupt and softirq totals by column, so the columns grow like a real host's. */
const IRQ_SHARES = [0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0, 0.02, 0.01, 0, 0.25, 0.2, 0.11, 0.1];
const SOFTIRQ_SHARES = [0, 0.28, 0.01, 0.14, 0.12, 0, 0, 0.2, 0, 0.25] as const;

/** /proc/stat (proc(5)): the aggregate and per-CPU times, interrupts, context switches, processes. */
export function renderStat(host: HostSnapshot): string {
  const perCpu = Array.from({ length: HOST_CPUS }, (_, cpu) => cpuSeconds(host.counters, cpu));
  const total = Object.fromEntries(
    CPU_MODES.map((mode) => [mode, perCpu.reduce((sum, cpu) => sum + cpu[mode], 0)]),
  ) as Record<(typeof CPU_MODES)[number], number>;
  const intr = whole(host.counters.intr ?? 0);
  const softirq = whole((host.counters.intr ?? 0) * 0.4);
  const forks = whole(host.counters.forks ?? 0);
  return [
    cpuLine('cpu ', total),
    ...perCpu.map((seconds, cpu) => cpuLine(`cpu${cpu}`, seconds)),
    `intr ${intr} ${IRQ_SHARES.map((share) => whole(intr * share)).join(' ')}`,
    `ctxt ${whole(host.counters.ctxt ?? 0)}`,
    `btime ${host.bootTime}`,
    `processes ${forks}`,
    `procs_running ${Math.max(1, Math.ceil((host.load.cpu / 100) * HOST_CPUS))}`,
    `procs_blocked ${Math.round((host.load.iowait / 100) * HOST_CPUS * 2)}`,
    `softirq ${softirq} ${SOFTIRQ_SHARES.map((share) => whole(softirq * share)).join(' ')}`,
    '',
  ].join('\n');
}

/** `Name:` padded to 16 columns, the value right-aligned in 8, as the kernel's show_val_kb. */
const kb = (name: string, value: number) => `${`${name}:`.padEnd(16)}${String(value).padStart(8)} kB`;
const count = (name: string, value: number) => `${`${name}:`.padEnd(16)}${String(value).padStart(8)}`;

/** /proc/meminfo (proc(5)) of a host without swap or huge pages in use, fields in the kernel's order. */
export function renderMeminfo(load: HostLoad): string {
  const m = memoryKb(load);
  const activeAnon = Math.round(m.anon * 0.15);
  const activeFile = Math.round(m.cached * 0.35);
  return [
    kb('MemTotal', m.total),
    kb('MemFree', m.free),
    kb('MemAvailable', m.available),
    kb('Buffers', m.buffers),
    kb('Cached', m.cached),
    kb('SwapCached', 0),
    kb('Active', activeAnon + activeFile),
    kb('Inactive', m.anon - activeAnon + m.cached - activeFile),
    kb('Active(anon)', activeAnon),
    kb('Inactive(anon)', m.anon - activeAnon),
    kb('Active(file)', activeFile),
    kb('Inactive(file)', m.cached - activeFile),
    kb('Unevictable', 12_536),
    kb('Mlocked', 11_472),
    kb('SwapTotal', 0),
    kb('SwapFree', 0),
    kb('Zswap', 0),
    kb('Zswapped', 0),
    kb('Dirty', 1_204),
    kb('Writeback', 0),
    kb('AnonPages', m.anon - m.shmem),
    kb('Mapped', 219_836),
    kb('Shmem', m.shmem),
    kb('KReclaimable', m.slabReclaimable),
    kb('Slab', m.slab),
    kb('SReclaimable', m.slabReclaimable),
    kb('SUnreclaim', m.slab - m.slabReclaimable),
    kb('KernelStack', 9_376),
    kb('PageTables', 31_852),
    kb('SecPageTables', 0),
    kb('NFS_Unstable', 0),
    kb('Bounce', 0),
    kb('WritebackTmp', 0),
    kb('CommitLimit', Math.round(m.total / 2)),
    kb('Committed_AS', Math.round(m.anon * 1.6)),
    kb('VmallocTotal', 34_359_738_367),
    kb('VmallocUsed', 45_052),
    kb('VmallocChunk', 0),
    kb('Percpu', 3_712),
    kb('AnonHugePages', 0),
    kb('ShmemHugePages', 0),
    kb('ShmemPmdMapped', 0),
    kb('FileHugePages', 0),
    kb('FilePmdMapped', 0),
    count('HugePages_Total', 0),
    count('HugePages_Free', 0),
    count('HugePages_Rsvd', 0),
    count('HugePages_Surp', 0),
    kb('Hugepagesize', 2048),
    kb('Hugetlb', 0),
    kb('DirectMap4k', 301_056),
    kb('DirectMap2M', 8_087_552),
    kb('DirectMap1G', 8_388_608),
    '',
  ].join('\n');
}

/** One /proc/diskstats line: major, minor, name, then the 17 counters of Linux ≥ 5.5. */
function diskLine(major: number, minor: number, name: string, ioMs: number, inFlight: number): string {
  const reads = whole(ioMs * 0.6);
  const writes = whole(ioMs * 1.1);
  const fields = [
    reads,
    whole(reads * 0.15),
    reads * 16,
    whole(ioMs * 0.35),
    writes,
    whole(writes * 0.9),
    writes * 24,
    whole(ioMs * 0.7),
    inFlight,
    whole(ioMs),
    whole(ioMs * 1.05),
    0,
    0,
    0,
    0,
    whole(writes * 0.02),
    whole(ioMs * 0.01),
  ];
  return `${String(major).padStart(4)} ${String(minor).padStart(7)} ${name} ${fields.join(' ')}`;
}

/** /proc/diskstats: one NVMe disk with its two partitions, and an idle loop device. */
export function renderDiskstats(host: HostSnapshot): string {
  const ioMs = host.counters['disk:io_ms'] ?? 0;
  const inFlight = Math.round(host.load.disk / 25);
  return [
    diskLine(7, 0, 'loop0', 0, 0),
    diskLine(259, 0, 'nvme0n1', ioMs, inFlight),
    diskLine(259, 1, 'nvme0n1p1', 120, 0),
    diskLine(259, 2, 'nvme0n1p2', ioMs * 0.99, inFlight),
    '',
  ].join('\n');
}
