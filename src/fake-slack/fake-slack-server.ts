import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  FakeFailure,
  FakeResponse,
  FakeSlack,
  FakeSlackOptions,
  ResponseUrlContext,
  SlackCall,
} from './fake-slack-types.js';
import { FakeWorkspace } from './fake-workspace.js';
import { handleResponseUrl, type ResponseUrlState } from './response-urls.js';
import { callMethod } from './slack-methods.js';

/** Form fields web-api sends as JSON strings; parsed so recorded calls and stored messages hold objects. */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];
const ADMIN_USER = 'U0FBADMIN1';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
      // Left as a string: the method answers invalid_blocks_format, as Slack does for malformed JSON.
    }
  }
  return args;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts Slack's stand-in at its HTTP boundary: the Web API under `/api/<method>` (give the returned base URL
 * to WebClient as `slackApiUrl`) and response URLs under `/response/<id>`. State lives in memory.
 */
export function createFakeSlack(options: FakeSlackOptions): FakeSlack {
  const ws = new FakeWorkspace({
    botUserId: options.botUserId ?? 'U0FBBOT001',
    botId: 'B0FBBOT001',
    teamId: options.teamId ?? 'T0FBTEAM01',
    appId: 'A0FBAPP001',
    teamDomain: 'firebreak-test',
  });
  const calls: SlackCall[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const responseUrls = new Map<string, ResponseUrlState>();
  const responses: FakeResponse[] = [];
  let baseUrl: string | undefined;
  let urlCounter = 0;

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const parsed = parseArgs(req, url, await readBody(req));
    const args = parsed === 'invalid_json' ? {} : parsed;
    const formToken = typeof args.token === 'string' ? args.token : undefined;
    delete args.token; // never keep a credential in the call log
    const call: SlackCall = { method, args, at: Date.now(), ok: false, status: 200 };
    calls.push(call);

    const failure = failures.get(method)?.shift();
    if (failure) {
      if ('rateLimited' in failure) {
        call.status = 429;
        call.error = 'ratelimited';
        sendJson(
          res,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.rateLimited) },
        );
      } else if ('status' in failure) {
        call.status = failure.status;
        call.error = `http_${failure.status}`;
        res.writeHead(failure.status, { 'content-type': 'text/plain' });
        res.end('upstream unavailable');
      } else {
        call.error = failure.error;
        sendJson(res, 200, { ok: false, error: failure.error });
      }
      return;
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? formToken;
    const result =
      parsed === 'invalid_json'
        ? { ok: false, error: 'invalid_json' }
        : token === undefined
          ? { ok: false, error: 'not_authed' }
          : token !== options.botToken
            ? { ok: false, error: 'invalid_auth' }
            : callMethod(ws, method, args);
    call.ok = result.ok;
    if (!result.ok) call.error = String(result.error);
    sendJson(res, 200, result);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.slack.test');
    const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
    const response = /^\/response\/([A-Za-z0-9]+)$/.exec(url.pathname);
    const work = api?.[1]
      ? handleApi(req, res, url, api[1])
      : response?.[1] && req.method === 'POST'
        ? readBody(req).then((body) => {
            const reply = handleResponseUrl(ws, responseUrls.get(response[1] ?? ''), body);
            if (reply.recorded !== undefined)
              responses.push({ url: `${baseOrigin()}${url.pathname}`, body: reply.recorded });
            res.writeHead(reply.status, { 'content-type': 'text/plain' });
            res.end(reply.text);
          })
        : Promise.resolve().then(() => sendJson(res, 404, { ok: false, error: 'not_found' }));
    work.catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) });
      else res.destroy();
    });
  });

  function baseOrigin(): string {
    if (!baseUrl) throw new Error('The fake Slack is not started: call start() first.');
    return baseUrl.replace(/\/api\/$/, '');
  }

  const copy = <T>(value: T): T => structuredClone(value);

  return {
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      baseUrl = `http://${host}:${port}/api/`;
      return baseUrl;
    },
    async stop() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    botUserId: ws.ids.botUserId,
    botId: ws.ids.botId,
    teamId: ws.ids.teamId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    channels: () => copy([...ws.channels.values()]),
    channelByName: (name) => {
      const channel = ws.byName(name);
      return channel && copy(channel);
    },
    messages: (channelId) => copy(ws.topLevel(channelId)),
    thread: (channelId, ts) => copy(ws.find(channelId, ts)?.message.replies ?? []),
    ephemerals: () => copy(ws.ephemerals),
    bookmarks: (channelId) => copy(ws.bookmarks.filter((b) => b.channel_id === channelId)),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    responseUrl(context?: ResponseUrlContext) {
      urlCounter += 1;
      const id = `R${urlCounter}x${Math.random().toString(36).slice(2, 10)}`;
      responseUrls.set(id, { uses: 0, ...(context ? { context } : {}) });
      return `${baseOrigin()}/response/${id}`;
    },
    responses: () => copy(responses),
    waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const poll = () => {
          let value: ReturnType<typeof predicate>;
          try {
            value = predicate();
          } catch (err) {
            reject(err);
            return;
          }
          if (value !== undefined && value !== false && value !== null) {
            resolve(value);
          } else if (Date.now() >= deadline) {
            const last = calls
              .slice(-10)
              .map((c) => `  ${c.method} → ${c.ok ? 'ok' : (c.error ?? 'failed')}`);
            const listing = last.length > 0 ? last.join('\n') : '  (no Web API calls yet)';
            reject(new Error(`waitFor timed out after ${timeoutMs} ms. Last Slack calls:\n${listing}`));
          } else {
            setTimeout(poll, 10);
          }
        };
        poll();
      });
    },
    addChannel(name, opts) {
      if (ws.byName(name)) throw new Error(`addChannel: #${name} already exists`);
      const channel = ws.createChannel(name, {
        creator: ADMIN_USER,
        members: [...(opts?.botIsMember === false ? [] : [ws.ids.botUserId]), ...(opts?.members ?? [])],
      });
      // Without an explicit member list every user counts as present, like a busy public channel.
      if (!opts?.members) ws.openChannels.add(channel.id);
      return channel.id;
    },
    postAsUser(channelId, userId, text, threadTs) {
      if (!ws.channels.has(channelId)) throw new Error(`postAsUser: no channel ${channelId}`);
      const parent = threadTs ? ws.find(channelId, threadTs) : undefined;
      if (threadTs && !parent) throw new Error(`postAsUser: no message ${threadTs} in ${channelId}`);
      const root = parent?.parent ?? parent?.message;
      return ws.post(channelId, { user: userId, text, blocks: [] }, root).ts;
    },
  };
}
