import type { IncomingMessage, ServerResponse } from 'node:http';

/** One sandbox service: a plain node:http handler that may await (simulated latency, bodies). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Waits `ms`; rejects when the sandbox stops so no delayed answer outlives it. */
export type Wait = (ms: number) => Promise<void>;

/** The admin bodies are a few hundred bytes; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function notFound(res: ServerResponse): void {
  sendJson(res, 404, { error: 'not_found' });
}

export function methodNotAllowed(res: ServerResponse, allowed: readonly string[]): void {
  sendJson(res, 405, { error: 'method_not_allowed', allowed }, { allow: allowed.join(', ') });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/** Ignores Content-Type on purpose: the runbook's curls send JSON with curl's default form type. */
export function parseJson(raw: string): ParsedJson {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (err) {
    return { ok: false, error: `body is not valid JSON: ${(err as Error).message}` };
  }
}
