import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyTooLargeError, type ParsedJson, parseJson, readBody, sendJson } from './http-io.js';

/** One request to an `/api/admin/*` path, as the sandbox answered it. */
export interface AdminCall {
  service: 'project' | 'generation';
  method: string;
  path: string;
  /** The parsed JSON body, the raw text when it was not JSON, or null when empty. */
  body: unknown;
  authorized: boolean;
  status: number;
  /** When the request arrived (ISO 8601). */
  at: string;
}

/** One admin endpoint. `handle` returns the fields added next to `ok: true` in the answer. */
export interface AdminRoute {
  method: 'POST' | 'DELETE';
  path: string;
  handle(body: ParsedJson): { status: 200; fields: Record<string, unknown> } | { status: 400; error: string };
}

/** Builds a route whose body is validated by `schema` before `handle` sees it. */
export function adminRoute<T>(
  method: AdminRoute['method'],
  path: string,
  schema: z.ZodType<T> | null,
  handle: (body: T) => Record<string, unknown>,
): AdminRoute {
  return {
    method,
    path,
    handle(body) {
      // Endpoints without a body accept whatever curl sends, as the real service would.
      if (schema === null) return { status: 200, fields: handle(undefined as T) };
      if (!body.ok) return { status: 400, error: body.error };
      if (body.value === undefined) return { status: 400, error: `${method} ${path} needs a JSON body` };
      const parsed = schema.safeParse(body.value);
      if (!parsed.success) {
        return { status: 400, error: `invalid body for ${method} ${path}: ${z.prettifyError(parsed.error)}` };
      }
      return { status: 200, fields: handle(parsed.data) };
    },
  };
}

export interface AdminApiOptions {
  service: AdminCall['service'];
  adminToken: string;
  routes: readonly AdminRoute[];
  record(call: AdminCall): void;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests so neither the token's content nor its length leaks through timing. */
export function isAuthorized(header: string | undefined, adminToken: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(adminToken)) && presented !== '';
}

function bodyForRecord(raw: string): unknown {
  if (raw.trim() === '') return null;
  const parsed = parseJson(raw);
  return parsed.ok ? parsed.value : raw;
}

/**
 * Serves `/api/admin/*` for one service. Authorization is checked before routing so an
 * unauthenticated caller cannot map which admin paths exist.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: AdminApiOptions,
): Promise<void> {
  const at = new Date().toISOString();
  const method = req.method ?? 'GET';
  const authorized = isAuthorized(req.headers.authorization, options.adminToken);
  let raw = '';
  let tooLarge = false;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    tooLarge = true;
  }

  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    options.record({
      service: options.service,
      method,
      path: url.pathname,
      body: tooLarge ? null : bodyForRecord(raw),
      authorized,
      status,
      at,
    });
    sendJson(res, status, body, headers);
  };

  if (!authorized) return answer(401, { error: 'unauthorized' });
  if (tooLarge) return answer(413, { error: 'payload_too_large' });
  const candidates = options.routes.filter((route) => route.path === url.pathname);
  if (candidates.length === 0) return answer(404, { error: 'not_found', path: url.pathname });
  const route = candidates.find((candidate) => candidate.method === method);
  if (!route) {
    const allowed = candidates.map((candidate) => candidate.method);
    return answer(405, { error: 'method_not_allowed', allowed }, { allow: allowed.join(', ') });
  }
  const outcome = route.handle(parseJson(raw));
  if (outcome.status === 400) return answer(400, { error: 'bad_request', message: outcome.error });
  return answer(200, { ok: true, ...outcome.fields });
}
