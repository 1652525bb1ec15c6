import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeCheck } from '../../runbooks/runbook-schema.js';
import { formatMs, formatNumber } from '../format-value.js';
import type { Measurement } from '../measurement.js';
import {
  busiestDisk,
  countSockets,
  cpuUsage,
  memoryUsage,
  parseCpuTimes,
  parseDiskstats,
  parseMeminfo,
} from './proc-stats.js';

type HostCheck = Extract<ProbeCheck, { type: 'host' }>;

/** Where Linux mounts procfs; HOST_PROC_ROOT moves it, as node_exporter's `--path.procfs`. */
export const DEFAULT_PROC_ROOT = '/proc';

/** I/O of the host probe, injectable so tests can feed fixture /proc files. */
export interface HostProbeOptions {
  signal: AbortSignal;
  /** @defaultValue `/proc` */
  procRoot?: string;
  /**
   * Time between the two samples of cpu and disk-io: long enough for a stable share, short
   * enough for the snapshot.
   * @defaultValue 200
   */
  sampleMs?: number;
  /** Waits between the samples; a test replaces it to swap the fixture files. */
  pause?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Clock for disk-io's elapsed time, in ms. @defaultValue `performance.now` */
  now?: () => number;
}

const defaultPause = (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal });

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    // A host without IPv6 has no /proc/net/tcp6: that is zero sockets, not a failure.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Resource usage of a host, read from its procfs rather than by running `top`, `free`, `iostat` or
 * `ss`: no allow-listing needed and nothing to parse that changes with the tool's version. That is
 * /proc of the machine running the probe unless `procRoot` (HOST_PROC_ROOT) names another tree: a
 * host's /proc mounted into a container, or the sandbox's simulated host. Note that `net/*` under a
 * mounted /proc still shows the network namespace of the process reading it.
 */
export async function measureHost(check: HostCheck, options: HostProbeOptions): Promise<Measurement> {
  const root = options.procRoot ?? DEFAULT_PROC_ROOT;
  const sampleMs = options.sampleMs ?? 200;
  const pause = options.pause ?? defaultPause;
  const now = options.now ?? (() => performance.now());
  const read = (file: string) => readFile(join(root, file), { encoding: 'utf8', signal: options.signal });

  switch (check.metric) {
    case 'cpu': {
      const before = parseCpuTimes(await read('stat'));
      await pause(sampleMs, options.signal);
      const usage = cpuUsage(before, parseCpuTimes(await read('stat')));
      return {
        value: usage.busy,
        unit: '%',
        values: { iowait: usage.iowait, steal: usage.steal },
        detail: `${formatNumber(usage.busy)} % busy over ${formatMs(sampleMs)}`,
      };
    }
    case 'memory': {
      const usage = memoryUsage(parseMeminfo(await read('meminfo')));
      return {
        value: usage.percent,
        unit: '%',
        values: { total_mb: usage.totalMb, available_mb: usage.availableMb },
        detail: `${formatNumber(usage.totalMb - usage.availableMb)} of ${formatNumber(usage.totalMb)} MB used`,
      };
    }
    case 'connections': {
      const [tcp, tcp6, udp, udp6] = await Promise.all(
        ['net/tcp', 'net/tcp6', 'net/udp', 'net/udp6'].map((file) => readOptional(join(root, file))),
      );
      const counts = countSockets({ tcp: [tcp ?? '', tcp6 ?? ''], udp: [udp ?? '', udp6 ?? ''] });
      return {
        value: counts.tcp + counts.udp,
        values: { ...counts },
        detail: `${counts.tcp} TCP (${counts.established} established, ${counts.listening} listening), ${counts.udp} UDP`,
      };
    }
    case 'disk-io': {
      const startedAt = now();
      const before = parseDiskstats(await read('diskstats'));
      await pause(sampleMs, options.signal);
      const after = parseDiskstats(await read('diskstats'));
      const busiest = busiestDisk(before, after, now() - startedAt);
      if (!busiest) return { verdict: 'unknown', detail: 'no block devices in /proc/diskstats' };
      return {
        value: busiest.percent,
        unit: '%',
        values: { devices: after.size },
        detail: `${busiest.device} ${formatNumber(busiest.percent)} % busy`,
      };
    }
  }
}
