import { CPU_MODES, cpuKey, HOST_CPUS, memoryKb } from './host-model.js';
import type { HostSnapshot } from './render-procfs.js';

/** One node_exporter series of the simulated host, named and labelled exactly as node_exporter does. */
export interface NodeSeries {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The exposition type node_exporter declares. */
  type: 'counter' | 'gauge' | 'untyped';
  help: string;
  /** For counters: the simulation's key, to take a rate over its history. */
  counter?: string;
}

/**
 * The node_exporter metrics a site with node_exporter would query instead of /proc: CPU seconds
 * by cpu and mode (the cpu collector), MemTotal and MemAvailable (meminfo), TCP CurrEstab (netstat,
 * untyped as node_exporter exposes /proc/net/snmp). Read from the same snapshot as the procfs tree.
 */
export function nodeSeries(host: HostSnapshot): NodeSeries[] {
  const cpu: NodeSeries[] = [];
  for (let n = 0; n < HOST_CPUS; n += 1) {
    for (const mode of CPU_MODES) {
      const key = cpuKey(n, mode);
      cpu.push({
        name: 'node_cpu_seconds_total',
        labels: { cpu: String(n), mode },
        value: host.counters[key] ?? 0,
        type: 'counter',
        help: 'Seconds the CPUs spent in each mode.',
        counter: key,
      });
    }
  }
  const memory = memoryKb(host.load);
  const gauge = (name: string, value: number, help: string): NodeSeries => ({
    name,
    labels: {},
    value,
    type: 'gauge',
    help,
  });
  return [
    ...cpu,
    gauge('node_memory_MemTotal_bytes', memory.total * 1024, 'Memory information field MemTotal_bytes.'),
    gauge(
      'node_memory_MemAvailable_bytes',
      memory.available * 1024,
      'Memory information field MemAvailable_bytes.',
    ),
    {
      name: 'node_netstat_Tcp_CurrEstab',
      labels: {},
      value: host.load.established,
      type: 'untyped',
      help: 'Statistic TcpCurrEstab.',
    },
  ];
}
