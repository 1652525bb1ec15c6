/** What the simulated stack is suffering from. */
export const SANDBOX_MODES = ['healthy', 'spike', 'upstream-outage'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

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
}

export type RequestStatus = '200' | '503';

export const DEFAULT_RATE_LIMIT = { requestsPerMinute: 6000, burst: 200 } as const;
const DEFAULT_WORKERS = 4;

/** Requests per second the traffic ticker adds, by regime. Runbook alert: 503 rate > 20/s. */
const TRAFFIC = {
  normal: { ok: 50, unavailable: 0.1 },
  spike: { ok: 10, unavailable: 40 },
  outage: { ok: 20, unavailable: 25 },
} as const;

/** Gauges in percent; the runbook's danger lines are CPU 80 and memory 85. */
const LOAD = {
  normal: { cpu: 35, memory: 48 },
  spike: { cpu: 94, memory: 88 },
  outage: { cpu: 62, memory: 71 },
} as const;

function freshMitigations(): Mitigations {
  return {
    rateLimit: { profile: 'default', ...DEFAULT_RATE_LIMIT },
    openEndpoints: new Set(),
    providers: { openai: 'disabled', anthropic: 'disabled' },
    workers: { target: DEFAULT_WORKERS, autoScale: null },
    connectionPool: { maxConnections: 100, minConnections: 10 },
    forcedHealthUntil: null,
    pausedJobTypes: new Set(),
    gracefulRestarts: 0,
    dbPoolResets: { project: 0, generation: 0 },
    longQueryKills: 0,
  };
}

interface Sample {
  at: number;
  ok: number;
  unavailable: number;
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
  load(): { cpu: number; memory: number; workers: number };
  state(): SandboxState;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const clock = options.clock ?? Date.now;
  let mode = options.mode;
  let m = freshMitigations();
  let recoveredAt: number | null = null;
  let overloadedRequests = 0;
  // Fractional so the counters follow the configured rates exactly, whatever the tick jitter.
  const totals = { ok: 0, unavailable: 0 };
  let accountedAt = clock();
  const history: Sample[] = [{ at: accountedAt, ok: 0, unavailable: 0 }];

  const isHealthy = (): boolean => {
    if (mode === 'spike') return recoveredAt !== null;
    if (mode === 'upstream-outage') return UPSTREAM_PROVIDERS.every((p) => m.providers[p] === 'enabled');
    return true;
  };
  const regime = (): keyof typeof TRAFFIC => {
    if (isHealthy()) return 'normal';
    return mode === 'spike' ? 'spike' : 'outage';
  };

  const account = (now: number): void => {
    const seconds = (now - accountedAt) / 1000;
    if (seconds <= 0) return;
    const perSecond = TRAFFIC[regime()];
    totals.ok += perSecond.ok * seconds;
    totals.unavailable += perSecond.unavailable * seconds;
    accountedAt = now;
  };

  // The spike is a surge that drains while traffic is shaped, so once both P1 controls were in
  // effect together the service stays recovered even when the runbook later lifts them.
  const checkRecovery = (): void => {
    if (mode !== 'spike' || recoveredAt !== null) return;
    if (m.rateLimit.profile === 'emergency' && m.openEndpoints.size > 0) recoveredAt = clock();
  };

  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const key = (status: RequestStatus): keyof typeof totals => (status === '200' ? 'ok' : 'unavailable');

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
      totals[key(status)] += 1;
    },
    tick() {
      const now = clock();
      account(now);
      history.push({ at: now, ...totals });
      // Keep one sample at or before the window's start so the oldest rate still spans the window.
      while (history.length > 2 && (history[1]?.at ?? now) <= now - options.historyMs) history.shift();
    },
    counter(status) {
      account(clock());
      return Math.floor(totals[key(status)]);
    },
    rate(status, windowMs) {
      const now = clock();
      account(now);
      const from = now - Math.min(windowMs, options.historyMs);
      let base = history[0];
      for (const sample of history) {
        if (sample.at > from) break;
        base = sample;
      }
      if (!base || now <= base.at) return 0;
      const k = key(status);
      return (totals[k] - base[k]) / ((now - base.at) / 1000);
    },
    load() {
      return { ...LOAD[regime()], workers: m.workers.target };
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
        requests: { ok: Math.floor(totals.ok), unavailable: Math.floor(totals.unavailable) },
      };
    },
  };
}
