import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminCall } from './admin-api.js';
import { createChromaService } from './chroma-service.js';
import { createFrontendService } from './frontend-service.js';
import { createGenerationService } from './generation-service.js';
import { type RequestHandler, sendJson, type Wait } from './http-io.js';
import { createProjectService } from './project-service.js';
import { createPrometheusService } from './prometheus-service.js';
import { type SandboxFiles, type SandboxHost, startSandboxHost } from './sandbox-host.js';
import { createSimulation, type SandboxMode, type SandboxState } from './simulation.js';
import { createUpstreamService } from './upstream-service.js';

export type { AdminCall } from './admin-api.js';
export type { SandboxFiles } from './sandbox-host.js';
export {
  type ProviderBreakerState,
  SANDBOX_MODES,
  type SandboxMode,
  type SandboxState,
  UPSTREAM_PROVIDERS,
  type UpstreamProvider,
} from './simulation.js';

export const SANDBOX_SERVICES = [
  'project',
  'generation',
  'frontend',
  'chroma',
  'prometheus',
  'upstream',
] as const;
export type SandboxServiceName = (typeof SANDBOX_SERVICES)[number];

/** The ports the 503 runbook's commands use; `upstream` stands in for OpenAI/Anthropic. */
export const DEFAULT_SANDBOX_PORTS: Readonly<Record<SandboxServiceName, number>> = {
  project: 8001,
  generation: 8002,
  frontend: 3000,
  chroma: 8000,
  prometheus: 9090,
  upstream: 8003,
};

export interface SandboxOptions {
  /** Interface to bind. @defaultValue '127.0.0.1' — the admin API must not be reachable from outside. */
  host?: string;
  /** Per-service ports; 0 picks a free one (tests). @defaultValue {@link DEFAULT_SANDBOX_PORTS} */
  ports?: Partial<Record<SandboxServiceName, number>>;
  /** Bearer token every `/api/admin/*` request must carry. */
  adminToken: string;
  /** @defaultValue 'healthy' */
  mode?: SandboxMode;
  /** Delay of overloaded answers (`/api/generation/health`, upstream in an outage). @defaultValue 2500 */
  spikeLatencyMs?: number;
  /** Period of the simulated traffic ticker. @defaultValue 250 */
  tickMs?: number;
  /**
   * How far back range windows such as `[5m]` look. Clamped so a recovery shows in `rate()` within
   * seconds, not five real minutes. @defaultValue 15000
   */
  historyMs?: number;
  /** Called after each admin call is answered, e.g. to log it. */
  onAdminCall?: (call: AdminCall) => void;
}

/** A running simulation of the AI script generator stack. */
export interface Sandbox {
  /**
   * Creates the simulated host's files (see {@link Sandbox.files}) and listens on every service;
   * resolves to their base URLs, e.g. `http://127.0.0.1:8002`.
   */
  start(): Promise<Record<SandboxServiceName, string>>;
  /** Closes every server, connection, timer and descriptor, and removes the files. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Where the running sandbox keeps its host's procfs tree, the generation service's log and the
   * SQLite database it holds open: point HOST_PROC_ROOT, GENERATION_LOG_FILE and SQLITE_DB_PATH
   * there (see `sandboxTargetEnv`). Throws before `start()` and after `stop()`.
   */
  files(): SandboxFiles;
  /** Switches the fault and resets every mitigation. */
  setMode(mode: SandboxMode): void;
  readonly mode: SandboxMode;
  /** Every request to an /api/admin/* path, in order, for tests and the demo. */
  readonly adminCalls: readonly AdminCall[];
  /**
   * True once the service is serving normally again: always in `healthy`; in `spike` once the
   * emergency rate limit and an endpoint circuit breaker were both applied; in `upstream-outage`
   * while the openai and anthropic breakers are both enabled; in `resource-exhaustion` once heavy
   * jobs were paused or the workers scaled down; in `database-bottleneck` once long queries were
   * killed; in `network-saturation` once the connection pool was shrunk. Forced health does not count.
   */
  isHealthy(): boolean;
  /** Applied mitigations: rate limit, circuit breakers, workers, forced health... */
  state(): SandboxState;
}

function checkOptions(options: SandboxOptions): void {
  if (options.adminToken.trim() === '') throw new TypeError('sandbox adminToken must be a non-empty string');
  for (const [name, port] of Object.entries(options.ports ?? {})) {
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new RangeError(`sandbox ports.${name} must be an integer from 0 to 65535, got ${port}`);
    }
  }
  if ((options.tickMs ?? 250) <= 0) throw new RangeError('sandbox tickMs must be positive');
  if ((options.spikeLatencyMs ?? 0) < 0) throw new RangeError('sandbox spikeLatencyMs must not be negative');
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets and requests parked in a simulated delay would otherwise hold close() open.
  server.closeAllConnections();
  await closed;
}

function serve(handler: RequestHandler, stopped: AbortSignal): Server {
  return createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(`http://sandbox.invalid${req.url ?? '/'}`);
    } catch {
      return sendJson(res, 400, { error: 'bad_request', message: 'unparsable request target' });
    }
    handler(req, res, url).catch((err: unknown) => {
      if (stopped.aborted || res.headersSent) return void res.destroy();
      sendJson(res, 500, { error: 'internal', message: err instanceof Error ? err.message : String(err) });
    });
  });
}

export function createSandbox(options: SandboxOptions): Sandbox {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const ports = { ...DEFAULT_SANDBOX_PORTS, ...options.ports };
  const spikeLatencyMs = options.spikeLatencyMs ?? 2500;
  const sim = createSimulation({ mode: options.mode ?? 'healthy', historyMs: options.historyMs ?? 15_000 });
  const adminCalls: AdminCall[] = [];
  const record = (call: AdminCall): void => {
    adminCalls.push(call);
    options.onAdminCall?.(call);
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let running: {
    servers: Server[];
    ticker: NodeJS.Timeout;
    stopped: AbortController;
    machine: SandboxHost;
  } | null = null;
  let starting = false;
  let generationInstance = `${urlHost}:${ports.generation}`;

  const stop = async (): Promise<void> => {
    if (!running) return;
    const { servers, ticker, stopped, machine } = running;
    running = null;
    clearInterval(ticker);
    stopped.abort();
    await Promise.all([...servers.map(close), machine.stop()]);
  };

  return {
    async start() {
      if (running || starting) throw new Error('sandbox is already started; stop() it first');
      starting = true;
      const machine = await startSandboxHost(sim).finally(() => {
        starting = false;
      });
      const stopped = new AbortController();
      // Every overloaded request sleeps on this one signal: a spike holds hundreds at once, by design.
      setMaxListeners(0, stopped.signal);
      const wait: Wait = (ms) => sleep(ms, undefined, { signal: stopped.signal, ref: false });
      const handlers: Record<SandboxServiceName, RequestHandler> = {
        project: createProjectService({ sim, adminToken: options.adminToken, spikeLatencyMs, wait, record }),
        generation: createGenerationService({
          sim,
          adminToken: options.adminToken,
          spikeLatencyMs,
          wait,
          record,
        }),
        frontend: createFrontendService({ sim, spikeLatencyMs, wait }),
        chroma: createChromaService(),
        prometheus: createPrometheusService({ sim, generationInstance: () => generationInstance }),
        upstream: createUpstreamService({ sim, spikeLatencyMs, wait }),
      };
      const ticker = setInterval(() => sim.tick(), options.tickMs ?? 250);
      ticker.unref();
      const servers = SANDBOX_SERVICES.map((name) => serve(handlers[name], stopped.signal));
      running = { servers, ticker, stopped, machine };

      const urls = {} as Record<SandboxServiceName, string>;
      try {
        for (const [i, name] of SANDBOX_SERVICES.entries()) {
          const server = servers[i] as Server;
          let port: number;
          try {
            port = await listen(server, ports[name], host);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code ?? String(err);
            throw new Error(
              `sandbox ${name} could not listen on ${host}:${ports[name]} (${code}); ` +
                `stop what uses that port or set ports.${name} (0 picks a free one)`,
              { cause: err },
            );
          }
          urls[name] = `http://${urlHost}:${port}`;
          if (name === 'generation') generationInstance = `${urlHost}:${port}`;
        }
      } catch (err) {
        await stop();
        throw err;
      }
      return urls;
    },
    stop,
    files() {
      if (!running) throw new Error('the sandbox has no files until start() (and none after stop())');
      return running.machine.files;
    },
    setMode: (mode) => sim.setMode(mode),
    get mode() {
      return sim.mode;
    },
    get adminCalls() {
      return adminCalls;
    },
    isHealthy: () => sim.isHealthy(),
    state: () => sim.state(),
  };
}
