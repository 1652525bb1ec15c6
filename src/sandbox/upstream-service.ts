import { methodNotAllowed, notFound, type RequestHandler, sendJson, type Wait } from './http-io.js';
import type { Simulation } from './simulation.js';

export interface UpstreamServiceOptions {
  sim: Simulation;
  spikeLatencyMs: number;
  wait: Wait;
}

const MODELS = [
  { id: 'gpt-4o', object: 'model', owned_by: 'openai' },
  { id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' },
  { id: 'gpt-3.5-turbo', object: 'model', owned_by: 'openai' },
  { id: 'claude-3-5-sonnet-latest', object: 'model', owned_by: 'anthropic' },
] as const;

/** OpenAI sends Bearer keys, Anthropic `x-api-key`; either identifies a caller here. */
function hasApiKey(headers: Record<string, string | string[] | undefined>): boolean {
  const bearer = /^Bearer (\S+)/i.exec(String(headers.authorization ?? ''));
  return bearer !== null || String(headers['x-api-key'] ?? '').trim() !== '';
}

/**
 * Stands in for the OpenAI/Anthropic APIs and their status page (runbook "4단계"), so probes never
 * leave the machine. Any non-empty key is accepted: the sandbox checks presence, not validity.
 */
export function createUpstreamService(options: UpstreamServiceOptions): RequestHandler {
  const outage = () => options.sim.mode === 'upstream-outage';
  return async (req, res, url) => {
    if (url.pathname !== '/v1/models' && url.pathname !== '/api/v2/status.json') return notFound(res);
    if (req.method !== 'GET') return methodNotAllowed(res, ['GET']);
    if (url.pathname === '/api/v2/status.json') {
      const status = outage()
        ? { indicator: 'critical', description: 'Major Outage' }
        : { indicator: 'none', description: 'All Systems Operational' };
      return sendJson(res, 200, { page: { id: 'sandbox', name: 'Sandbox Upstream' }, status });
    }
    if (!hasApiKey(req.headers)) {
      return sendJson(res, 401, {
        error: {
          message: 'You did not provide an API key. Send it as "Authorization: Bearer <key>".',
          type: 'invalid_request_error',
          code: 'missing_api_key',
        },
      });
    }
    if (outage()) {
      await options.wait(options.spikeLatencyMs);
      return sendJson(res, 503, {
        error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', code: null },
      });
    }
    return sendJson(res, 200, { object: 'list', data: MODELS });
  };
}
