import { FAULT_PROFILES, type SandboxMode, type SandboxRegime } from './fault-profiles.js';
import { advanceHost, bootedHost, type HostLoad } from './host-model.js';
import type { HostSnapshot } from './render-procfs.js';

export { SANDBOX_MODES, type SandboxMode, type SandboxRegime } from './fault-profiles.js';

/** The LLM providers the generation service calls, each behind its own circuit breaker. */
export const UPSTREAM_PROVIDERS = ['openai', 'anthropic'] as const;
export type UpstreamProvider = (typeof UPSTREAM_PROVIDERS)[number];

/**
 * A provider breaker as the admin API names it: `enabled` short-circuits calls to the provider (the
 * fallback answers), `half-open` lets trial calls through after a successful `test`.
 */
export type ProviderBreakerState = 'disabled' | 'enabled' | 'half-open';

export interface AutoScaleSettings {
  enabled: boolean;
  minWorkers: number | null;
  maxWorkers: number | null;
  cpuThreshold: number | null;
  memoryThreshold: number | null;
}

/** Mutable mitigations the admin API applies; {@link SandboxState} is its read-only snapshot. */
export interface Mitigations {
  rateLimit: { profile: 'default' | 'emergency'; requestsPerMinute: number; burst: number };
  openEndpoints: Set<string>;
  providers: Record<UpstreamProvider, ProviderBreakerState>;
  workers: { target: number; autoScale: AutoScaleSettings | null };
  connectionPool: { maxConnections: number; minConnections: number };
  forcedHealthUntil: number | null;
  pausedJobTypes: Set<string>;
  gracefulRestarts: number;
  dbPoolResets: { project: number; generation: number };
  longQueryKills: number;
}

/** A snapshot of the sandbox: its mode, every applied mitigation and the traffic counters. */
export interface SandboxState {
  mode: SandboxMode;
  /** Serving normally: no unmitigated fault (forced health does not count). */
  healthy: boolean;
  /** When the spike was mitigated (ISO 8601), or null. */
  recoveredAt: string | null;
  /** Until when `/health` is forced to 200 (ISO 8601), or null. */
  forcedHealthUntil: string | null;
  rateLimit: Mitigations['rateLimit'];
  circuitBreakers: { endpoints: string[]; providers: Record<UpstreamProvider, ProviderBreakerState> };
  workers: Mitigations['workers'];
  connectionPool: Mitigations['connectionPool'];
  pausedJobTypes: string[];
  gracefulRestarts: number;
  dbPoolResets: Mitigations['dbPoolResets'];
  longQueryKills: number;
  /** Simulated `http_requests_total` of the generation service, by status. */
  requests: { ok: number; unavailable: number };
  /** What the simulated host's /proc shows now. */
  host: HostLoad;
}

export type RequestStatus = '200' | '503';

export const DEFAULT_RATE_LIMIT = { requestsPerMinute: 6000, burst: 200 } as const;
const DEFAULT_WORKERS = 4;
const DEFAULT_POOL = { maxConnections: 100, minConnections: 10 } as const;
/** The simulated host has been up three days when the sandbox starts. */
const UPTIME_SECONDS = 3 * 86_400;

/**
 * The mitigation that ends each sticky fault: a surge drained by both P1 traffic controls; CPU and
 * memory freed by pausing heavy jobs or running fewer workers; the lock holders gone once their long
 * queries are killed; connections released by a smaller pool. Once ended, the fault stays ended even
 * when the runbook later undoes the mitigation. (An upstream outage ends only with the upstream.)
 */
const RECOVERS: Record<Exclude<SandboxMode, 'healthy' | 'upstream-outage'>, (m: Mitigations) => boolean> = {
  spike: (m) => m.rateLimit.profile === 'emergency' && m.openEndpoints.size > 0,
  'resource-exhaustion': (m) => m.pausedJobTypes.size > 0 || m.workers.target < DEFAULT_WORKERS,
  'database-bottleneck': (m) => m.longQueryKills > 0,
  'network-saturation': (m) => m.connectionPool.maxConnections < DEFAULT_POOL.maxConnections,
};

function freshMitigations(): Mitigations {
  return {
    rateLimit: { profile: 'default', ...DEFAULT_RATE_LIMIT },
    openEndpoints: new Set(),
    providers: { openai: 'disabled', anthropic: 'disabled' },
    workers: { target: DEFAULT_WORKERS, autoScale: null },
    connectionPool: { ...DEFAULT_POOL },
    forcedHealthUntil: null,
    pausedJobTypes: new Set(),
    gracefulRestarts: 0,
    dbPoolResets: { project: 0, generation: 0 },
    longQueryKills: 0,
  };
}

/** Every counter at one tick, by key: `http:200`, `http:503`, and the host's (see {@link HostCounters}). */
interface Sample {
  at: number;
  values: Record<string, number>;
}

export interface SimulationOptions {
  mode: SandboxMode;
  /** How far back range windows such as `[5m]` can look, so a recovery shows within this time. */
  historyMs: number;
  clock?: () => number;
}

/** The rules of the simulated stack, free of any HTTP so they read in one place. */
export interface Simulation {
  readonly mode: SandboxMode;
  /** The simulation's clock, in epoch milliseconds. */
  now(): number;
  setMode(mode: SandboxMode): void;
  isHealthy(): boolean;
  isHealthForced(): boolean;
  /** Applies a mitigation; traffic is accounted up to now first so rates change at the right time. */
  mitigate<T>(apply: (m: Mitigations) => T): T;
  /** Whether the next request to an overloaded endpoint fails: 3 of every 4, deterministically. */
  nextOverloadedRequestFails(): boolean;
  recordRequest(status: RequestStatus): void;
  /** Called by the traffic ticker: accounts simulated traffic and keeps the history for rate(). */
  tick(): void;
  counter(status: RequestStatus): number;
  /** Per-second increase of a counter over the window, clamped to the history there is. */
  rate(status: RequestStatus, windowMs: number): number;
  /**
   * The request counters as they were at `atMs` (one sample a second, kept {@link RETENTION_MS}), for
   * Prometheus' `time=` and `query_range`: the value, its increase over a window ending then, and its
   * rate (the window clamped like {@link rate}'s).
   */
  counterAt(status: RequestStatus, atMs: number): number;
  rateAt(status: RequestStatus, windowMs: number, atMs: number): number;
  /** The same for a host counter, e.g. `cpu:0:idle` in CPU seconds. */
  hostRate(key: string, windowMs: number): number;
  regime(): SandboxRegime;
  load(): { cpu: number; memory: number; workers: number };
  /** The simulated host now: its gauges and cumulative counters. */
  host(): HostSnapshot;
  state(): SandboxState;
}

/** How long the sandbox remembers its request counters, and how finely. */
export const RETENTION_MS = 2 * 3600_000;
const PAST_STEP_MS = 1000;

export function createSimulation(options: SimulationOptions): Simulation {
  const clock = options.clock ?? Date.now;
  let mode = options.mode;
  let m = freshMitigations();
  let recoveredAt: number | null = null;
  let overloadedRequests = 0;
  // Fractional so the counters follow the configured rates exactly, whatever the tick jitter.
  const totals: Record<string, number> = {
    'http:200': 0,
    'http:503': 0,
    ...bootedHost(FAULT_PROFILES.normal.host, UPTIME_SECONDS),
  };
  let accountedAt = clock();
  const bootTime = Math.floor(accountedAt / 1000) - UPTIME_SECONDS;
  const history: Sample[] = [{ at: accountedAt, values: { ...totals } }];
  // The request counters over time, coarse and long, for queries about the past (a postmortem's).
  const past: { at: number; ok: number; unavailable: number }[] = [
    { at: accountedAt, ok: 0, unavailable: 0 },
  ];
  const counterAt = (status: RequestStatus, atMs: number): number => {
    const field = status === '200' ? 'ok' : 'unavailable';
    account(clock());
    if (atMs >= accountedAt) return totals[key(status)] ?? 0;
    let after = past.findIndex((p) => p.at >= atMs);
    if (after === -1) after = past.length;
    const next = past[after] ?? {
      at: accountedAt,
      ok: totals['http:200'] ?? 0,
      unavailable: totals['http:503'] ?? 0,
    };
    const prev = past[after - 1];
    if (!prev) return next[field];
    const share = next.at === prev.at ? 1 : (atMs - prev.at) / (next.at - prev.at);
    return prev[field] + (next[field] - prev[field]) * share;
  };

  const isHealthy = (): boolean => {
    if (mode === 'healthy') return true;
    if (mode === 'upstream-outage') return UPSTREAM_PROVIDERS.every((p) => m.providers[p] === 'enabled');
    return recoveredAt !== null;
  };
  const regime = (): SandboxRegime => (isHealthy() || mode === 'healthy' ? 'normal' : mode);

  const account = (now: number): void => {
    const seconds = (now - accountedAt) / 1000;
    if (seconds <= 0) return;
    const profile = FAULT_PROFILES[regime()];
    totals['http:200'] = (totals['http:200'] ?? 0) + profile.traffic.ok * seconds;
    totals['http:503'] = (totals['http:503'] ?? 0) + profile.traffic.unavailable * seconds;
    advanceHost(totals, profile.host, seconds);
    accountedAt = now;
  };

  const checkRecovery = (): void => {
    if (mode === 'healthy' || mode === 'upstream-outage' || recoveredAt !== null) return;
    if (RECOVERS[mode](m)) recoveredAt = clock();
  };

  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const key = (status: RequestStatus) => `http:${status}`;
  const rateOf = (counter: string, windowMs: number): number => {
    const now = clock();
    account(now);
    const from = now - Math.min(windowMs, options.historyMs);
    let base = history[0];
    for (const sample of history) {
      if (sample.at > from) break;
      base = sample;
    }
    if (!base || now <= base.at) return 0;
    return ((totals[counter] ?? 0) - (base.values[counter] ?? 0)) / ((now - base.at) / 1000);
  };

  return {
    get mode() {
      return mode;
    },
    now: clock,
    setMode(next) {
      account(clock());
      mode = next;
      m = freshMitigations();
      recoveredAt = null;
      overloadedRequests = 0;
    },
    isHealthy,
    isHealthForced() {
      return m.forcedHealthUntil !== null && clock() < m.forcedHealthUntil;
    },
    mitigate(apply) {
      account(clock());
      const result = apply(m);
      checkRecovery();
      return result;
    },
    nextOverloadedRequestFails() {
      overloadedRequests += 1;
      return overloadedRequests % 4 !== 0;
    },
    recordRequest(status) {
      account(clock());
      totals[key(status)] = (totals[key(status)] ?? 0) + 1;
    },
    tick() {
      const now = clock();
      account(now);
      history.push({ at: now, values: { ...totals } });
      if (now - (past.at(-1)?.at ?? 0) >= PAST_STEP_MS) {
        past.push({ at: now, ok: totals['http:200'] ?? 0, unavailable: totals['http:503'] ?? 0 });
        while (past.length > 2 && (past[1]?.at ?? now) <= now - RETENTION_MS) past.shift();
      }
      // Keep one sample at or before the window's start so the oldest rate still spans the window.
      while (history.length > 2 && (history[1]?.at ?? now) <= now - options.historyMs) history.shift();
    },
    counter(status) {
      account(clock());
      return Math.floor(totals[key(status)] ?? 0);
    },
    rate: (status, windowMs) => rateOf(key(status), windowMs),
    counterAt,
    rateAt(status, windowMs, atMs) {
      const window = Math.min(windowMs, options.historyMs);
      if (window <= 0) return 0;
      return (counterAt(status, atMs) - counterAt(status, atMs - window)) / (window / 1000);
    },
    hostRate: rateOf,
    regime,
    load() {
      const { cpu, memory } = FAULT_PROFILES[regime()].host;
      return { cpu, memory, workers: m.workers.target };
    },
    host() {
      account(clock());
      return { load: { ...FAULT_PROFILES[regime()].host }, counters: { ...totals }, bootTime };
    },
    state() {
      account(clock());
      return {
        mode,
        healthy: isHealthy(),
        recoveredAt: iso(recoveredAt),
        forcedHealthUntil: iso(m.forcedHealthUntil),
        rateLimit: { ...m.rateLimit },
        circuitBreakers: { endpoints: [...m.openEndpoints], providers: { ...m.providers } },
        workers: { target: m.workers.target, autoScale: m.workers.autoScale && { ...m.workers.autoScale } },
        connectionPool: { ...m.connectionPool },
        pausedJobTypes: [...m.pausedJobTypes],
        gracefulRestarts: m.gracefulRestarts,
        dbPoolResets: { ...m.dbPoolResets },
        longQueryKills: m.longQueryKills,
        requests: {
          ok: Math.floor(totals['http:200'] ?? 0),
          unavailable: Math.floor(totals['http:503'] ?? 0),
        },
        host: { ...FAULT_PROFILES[regime()].host },
      };
    },
  };
}
