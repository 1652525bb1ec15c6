import { methodNotAllowed, notFound, type RequestHandler, sendText, type Wait } from './http-io.js';
import type { SandboxRegime, Simulation } from './simulation.js';

export interface FrontendServiceOptions {
  sim: Simulation;
  spikeLatencyMs: number;
  wait: Wait;
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>AI Script Generator</title></head>
<body><h1>AI Script Generator</h1><p>Sandbox frontend.</p></body>
</html>
`;

const SLOW_REGIMES: ReadonlySet<SandboxRegime> = new Set(['spike', 'resource-exhaustion']);

/** The frontend (runbook port 3000): static, so it stays up but slows down while the API is overloaded. */
export function createFrontendService(options: FrontendServiceOptions): RequestHandler {
  return async (req, res, url) => {
    if (url.pathname !== '/' && url.pathname !== '/index.html') return notFound(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    // Static pages slow down only when the host itself is short of CPU or the API surge queues them.
    if (SLOW_REGIMES.has(options.sim.regime())) await options.wait(options.spikeLatencyMs);
    sendText(res, 200, PAGE, 'text/html; charset=utf-8');
  };
}
