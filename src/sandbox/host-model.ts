/**
 * The simulated machine the stack runs on: its gauges in each regime and the cumulative counters
 * (CPU time, disk busy time) that its procfs tree and its node_exporter metrics are both read from,
 * so `/proc/stat` sampled twice and `rate(node_cpu_seconds_total[1m])` tell the same story.
 */

/** CPUs of the simulated host. */
export const HOST_CPUS = 4;
/** Ticks per second of /proc/stat's CPU times: USER_HZ, `getconf CLK_TCK`, 100 on Linux. */
export const USER_HZ = 100;
/** `MemTotal` of the simulated host in kB: a 16 GiB machine less what the kernel keeps. */
export const MEM_TOTAL_KB = 16_318_480;

/** The columns of a /proc/stat cpu line that node_exporter exposes as `mode` (guest time is in user). */
export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** The host's state in one regime; every number is what a tool on that host would report. */
export interface HostLoad {
  /** Busy CPU in percent, as top's `100 − idle − iowait`. */
  cpu: number;
  /** CPU time waiting for I/O, in percent. */
  iowait: number;
  /** Used memory in percent: `(MemTotal − MemAvailable) / MemTotal`. */
  memory: number;
  /** %util of the busiest disk, as `iostat -x`. */
  disk: number;
  /** ESTABLISHED TCP sockets. */
  established: number;
  /** Open file descriptors on the application's SQLite database. */
  dbHandles: number;
}

/** Cumulative counters: CPU seconds by `cpu:<n>:<mode>`, plus `disk:io_ms`, `ctxt`, `intr`, `forks`. */
export type HostCounters = Record<string, number>;

export const cpuKey = (cpu: number, mode: CpuMode): string => `cpu:${cpu}:${mode}`;

/** How busy time splits over the busy modes (sums to 1), as on a host running Python services. */
const BUSY_SPLIT = { user: 0.72, nice: 0.01, system: 0.19, irq: 0.01, softirq: 0.05, steal: 0.02 } as const;
/** Per-CPU weights averaging 1: real CPUs are never evenly loaded, and a reader should not see clones. */
const CPU_WEIGHTS = [1.03, 0.99, 1.01, 0.97] as const;

/** Seconds each mode of one CPU gains per second at `load`. */
function cpuShares(load: HostLoad, cpu: number): Record<CpuMode, number> {
  const iowait = load.iowait / 100;
  const busy = Math.min(1 - iowait, (load.cpu / 100) * (CPU_WEIGHTS[cpu % CPU_WEIGHTS.length] ?? 1));
  return {
    user: busy * BUSY_SPLIT.user,
    nice: busy * BUSY_SPLIT.nice,
    system: busy * BUSY_SPLIT.system,
    idle: 1 - busy - iowait,
    iowait,
    irq: busy * BUSY_SPLIT.irq,
    softirq: busy * BUSY_SPLIT.softirq,
    steal: busy * BUSY_SPLIT.steal,
  };
}

/** Adds `seconds` of running at `load` to the counters. */
export function advanceHost(counters: HostCounters, load: HostLoad, seconds: number): void {
  const add = (key: string, amount: number) => {
    counters[key] = (counters[key] ?? 0) + amount;
  };
  for (let cpu = 0; cpu < HOST_CPUS; cpu += 1) {
    const shares = cpuShares(load, cpu);
    for (const mode of CPU_MODES) add(cpuKey(cpu, mode), shares[mode] * seconds);
  }
  add('disk:io_ms', (load.disk / 100) * seconds * 1000);
  // Rough kernel rates that grow with load, so the files' other counters move like real ones.
  add('ctxt', (2000 + 60 * load.cpu) * HOST_CPUS * seconds);
  add('intr', (900 + 25 * load.cpu) * HOST_CPUS * seconds);
  add('forks', (2 + load.cpu / 10) * seconds);
}

/** Counters of a host that has been up `uptimeSeconds` at `load`. */
export function bootedHost(load: HostLoad, uptimeSeconds: number): HostCounters {
  const counters: HostCounters = {};
  advanceHost(counters, load, uptimeSeconds);
  return counters;
}

/** CPU seconds of one CPU by mode. */
export function cpuSeconds(counters: HostCounters, cpu: number): Record<CpuMode, number> {
  return Object.fromEntries(CPU_MODES.map((mode) => [mode, counters[cpuKey(cpu, mode)] ?? 0])) as Record<
    CpuMode,
    number
  >;
}

/** The /proc/meminfo fields the simulation sets, in kB, in the kernel's order. */
export function memoryKb(
  load: HostLoad,
): { total: number; free: number; available: number } & Record<
  'buffers' | 'cached' | 'anon' | 'shmem' | 'slab' | 'slabReclaimable',
  number
> {
  const available = Math.round(MEM_TOTAL_KB * (1 - load.memory / 100));
  const cached = Math.round(available * 0.55);
  const buffers = Math.round(available * 0.04);
  const slabReclaimable = Math.round(available * 0.05);
  const free = available - cached - buffers - slabReclaimable;
  const slab = slabReclaimable + 48_000;
  const shmem = 96_000;
  const anon = MEM_TOTAL_KB - free - cached - buffers - slab;
  return { total: MEM_TOTAL_KB, free, available, buffers, cached, anon, shmem, slab, slabReclaimable };
}
