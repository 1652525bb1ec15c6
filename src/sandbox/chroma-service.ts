import { methodNotAllowed, notFound, type RequestHandler, sendJson } from './http-io.js';

const HEARTBEAT_PATHS = new Set(['/api/v1/heartbeat', '/api/v2/heartbeat']);

/** ChromaDB (runbook port 8000): healthy in every mode, so a diagnosis can rule it out. */
export function createChromaService(): RequestHandler {
  return async (req, res, url) => {
    if (!HEARTBEAT_PATHS.has(url.pathname)) return notFound(res);
    if (req.method !== 'GET') return methodNotAllowed(res, ['GET']);
    // Chroma answers epoch nanoseconds; as a JSON number it loses precision there too.
    sendJson(res, 200, { 'nanosecond heartbeat': Date.now() * 1_000_000 });
  };
}
