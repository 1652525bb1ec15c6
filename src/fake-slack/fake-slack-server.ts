import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  FakeResponse,
  FakeSlack,
  FakeSlackOptions,
  ResponseUrlContext,
  SlackCall,
} from './fake-slack-types.js';
import { FakeWorkspace } from './fake-workspace.js';
import { FaultPlan } from './fault-plan.js';
import { filesOf } from './files-methods.js';
import { addReaction } from './reaction-methods.js';
import { handleResponseUrl, type ResponseUrlState } from './response-urls.js';
import { handleUpload } from './upload-endpoint.js';
import { addUsergroup } from './usergroup-methods.js';
import { appHomeOpenedEvent } from './view-methods.js';
import { applyViewSubmissionAnswer } from './view-submission.js';
import { type ApiContext, handleApi, readBody, sendJson } from './web-api-endpoint.js';
import { WORKSPACE } from './workspace-defaults.js';

const ADMIN_USER = 'U0FBADMIN1';

/**
 * Starts Slack's stand-in at its HTTP boundary: the Web API under `/api/<method>` (give the returned base URL
 * to WebClient as `slackApiUrl`) and response URLs under `/response/<id>`. State lives in memory.
 */
export function createFakeSlack(options: FakeSlackOptions): FakeSlack {
  const ws = new FakeWorkspace({
    botUserId: options.botUserId ?? WORKSPACE.botUserId,
    botId: WORKSPACE.botId,
    teamId: options.teamId ?? WORKSPACE.teamId,
    appId: WORKSPACE.appId,
    teamDomain: WORKSPACE.teamDomain,
  });
  const calls: SlackCall[] = [];
  const faults = new FaultPlan();
  const api: ApiContext = { ws, faults, botToken: options.botToken, calls, delayed: new Set() };
  const responseUrls = new Map<string, ResponseUrlState>();
  const responses: FakeResponse[] = [];
  let baseUrl: string | undefined;
  let urlCounter = 0;

  const sendText = (res: ServerResponse, reply: { status: number; text: string }) => {
    res.writeHead(reply.status, { 'content-type': 'text/plain' });
    res.end(reply.text);
  };

  /** The three surfaces: the Web API, file upload URLs, and response URLs. */
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.slack.test');
    const method = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname)?.[1];
    if (method) return handleApi(api, req, res, url, method);
    const post = req.method === 'POST';
    const ticket = /^\/upload\/v1\/([a-f0-9]+)$/.exec(url.pathname)?.[1];
    if (ticket && post) {
      return sendText(
        res,
        await handleUpload(ws, ticket, req.headers['content-type'] ?? '', await readBody(req)),
      );
    }
    const responseId = /^\/response\/([A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
    if (responseId && post) {
      const reply = handleResponseUrl(
        ws,
        responseUrls.get(responseId),
        (await readBody(req)).toString('utf8'),
      );
      if (reply.recorded !== undefined)
        responses.push({ url: `${baseOrigin()}${url.pathname}`, body: reply.recorded });
      return sendText(res, reply);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
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
      ws.origin = `http://${host}:${port}`;
      return baseUrl;
    },
    async stop() {
      for (const timer of api.delayed) clearTimeout(timer);
      api.delayed.clear();
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
    failNext: (method, failure, times = 1) => faults.failNext(method, failure, times),
    failFor: (method, failure, durationMs) => faults.failFor(method, failure, durationMs),
    loseAnswerNext: (method, loss) => faults.loseAnswerNext(method, loss),
    clearFaults: () => faults.clear(),
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
    addReaction: (channelId, ts, userId, name) => addReaction(ws, channelId, ts, userId, name),
    files: () => filesOf(ws),
    addUsergroup: (handle, userIds, opts) => addUsergroup(ws, handle, userIds, opts),
    views: () => copy([...ws.views.values()]),
    openViews: (userId) =>
      copy((ws.modalStacks.get(userId) ?? []).flatMap((id) => ws.views.get(id)?.view ?? [])),
    homeView: (userId) => {
      const home = ws.views.get(ws.homeViews.get(userId) ?? '');
      return home && copy(home.view);
    },
    applyViewSubmissionAnswer: (viewId, reply) => applyViewSubmissionAnswer(ws, viewId, reply),
    appHomeOpenedEvent: (userId) => appHomeOpenedEvent(ws, userId),
  };
}
