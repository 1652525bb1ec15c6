import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeFailure, LostAnswer, SlackCall } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';
import type { FaultPlan } from './fault-plan.js';
import { callMethod, type MethodResult } from './slack-methods.js';

/** Form fields web-api sends as JSON strings; parsed so recorded calls and stored messages hold objects. */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view', 'files'];

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Arguments from the query string and a form or JSON body, the three ways Slack accepts them. */
function parseArgs(req: IncomingMessage, url: URL, body: string): Record<string, unknown> | 'invalid_json' {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type === 'application/json' && body) {
    try {
      Object.assign(args, JSON.parse(body));
    } catch {
      return 'invalid_json';
    }
  } else if (body) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body)));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as a string: the method refuses it with its own error (invalid_blocks_format, …), as Slack does.
    }
  }
  return args;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Answers an injected failure in place of the call: Slack did nothing. */
function sendFailure(res: ServerResponse, call: SlackCall, failure: FakeFailure): void {
  if ('rateLimited' in failure) {
    call.status = 429;
    call.error = 'ratelimited';
    sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.rateLimited) });
  } else if ('status' in failure) {
    call.status = failure.status;
    call.error = `http_${failure.status}`;
    res.writeHead(failure.status, { 'content-type': 'text/plain' });
    res.end('upstream unavailable');
  } else {
    call.error = failure.error;
    sendJson(res, 200, { ok: false, error: failure.error });
  }
}

export interface ApiContext {
  ws: FakeWorkspace;
  faults: FaultPlan;
  botToken: string;
  calls: SlackCall[];
  /** Answers held back by a `delay` loss, cancelled when the server stops. */
  delayed: Set<NodeJS.Timeout>;
}

/** The performed call's answer, lost as the test asked: connection dropped, an error status, or late. */
function loseAnswer(
  ctx: ApiContext,
  res: ServerResponse,
  call: SlackCall,
  loss: LostAnswer,
  result: MethodResult,
) {
  call.lost = loss.mode;
  if (loss.mode === 'drop') {
    call.status = 0;
    res.socket?.destroy();
  } else if (loss.mode === 'status') {
    call.status = loss.status;
    res.writeHead(loss.status, { 'content-type': 'text/plain' });
    res.end('upstream unavailable');
  } else {
    const timer = setTimeout(() => {
      ctx.delayed.delete(timer);
      if (!res.destroyed) sendJson(res, 200, result);
    }, loss.delayMs);
    ctx.delayed.add(timer);
  }
}

/** One Web API request: faults first, then the token, then the method; every call is recorded. */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const parsed = parseArgs(req, url, (await readBody(req)).toString('utf8'));
  const args = parsed === 'invalid_json' ? {} : parsed;
  const formToken = typeof args.token === 'string' ? args.token : undefined;
  delete args.token; // never keep a credential in the call log
  const call: SlackCall = { method, args, at: Date.now(), ok: false, status: 200 };
  ctx.calls.push(call);

  const failure = ctx.faults.failureFor(method);
  if (failure) {
    sendFailure(res, call, failure);
    return;
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? formToken;
  const result =
    parsed === 'invalid_json'
      ? { ok: false, error: 'invalid_json' }
      : token === undefined
        ? { ok: false, error: 'not_authed' }
        : token !== ctx.botToken
          ? { ok: false, error: 'invalid_auth' }
          : callMethod(ctx.ws, method, args);
  call.ok = result.ok;
  if (!result.ok) call.error = String(result.error);
  const loss = ctx.faults.lossFor(method);
  if (loss) loseAnswer(ctx, res, call, loss, result);
  else sendJson(res, 200, result);
}
