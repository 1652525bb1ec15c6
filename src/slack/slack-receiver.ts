import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  type App,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Receiver,
  verifySlackRequest,
} from '@slack/bolt';
import type { Histogram } from 'prom-client';
import type { Route } from '../http/route.js';
import type { Logger } from '../logging/logger.js';
import { boltLogger } from './bolt-logger.js';

export interface SlackReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** @defaultValue '/slack/events' — the Request URL of the app's slash command and interactivity */
  path?: string;
  /** Slack's payloads are small; anything larger is refused before it is read whole. @defaultValue 1 MiB */
  bodyLimit?: number;
  /** @defaultValue Date.now */
  now?: () => number;
  /** `firebreak_slack_ack_duration_seconds`: arrival to answer of each request handed to Bolt. Absent: not measured. */
  ackDurations?: Pick<Histogram<'type'>, 'startTimer'>;
}

/** Slack signs with a timestamp; older or newer than this is a replay or a forgery. */
const MAX_CLOCK_SKEW_S = 5 * 60;

const FORM = 'application/x-www-form-urlencoded';

/** `application/x-www-form-urlencoded; charset=utf-8` is still a form (Bolt's own receiver says 400). */
function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

/** Form bodies carry interactivity as one `payload` JSON field; anything else must be a JSON object. */
function parseBody(raw: string, contentType: string | undefined): Parsed {
  try {
    let value: unknown;
    if (mediaType(contentType) === FORM) {
      const form = parseQuery(raw);
      value = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else {
      value = JSON.parse(raw);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, reason: 'the payload is not a JSON object' };
    }
    return { ok: true, body: value as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'the payload is not valid JSON' };
  }
}

/**
 * Slack's HTTP receiver as one route of Firebreak's own server (`src/http`), rather than a server
 * of Bolt's: it reads the body (bounded), verifies the signature and its timestamp (±5 minutes,
 * both ways), answers Slack's SSL and URL checks, and hands the event to Bolt with an ack bound to
 * the response. A malformed but signed body gets 400, never a crash.
 */
export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SlackReceiverOptions) {
    this.log = options.log.child({ component: 'slack-receiver' });
  }

  init(app: App): void {
    this.app = app;
  }

  /** The server is Firebreak's; there is nothing of the receiver's own to start or stop. */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  route(): Route {
    return {
      method: 'POST',
      path: this.options.path ?? '/slack/events',
      handle: (req, res) => this.handle(req, res),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // From arrival, body reading included: that is the time Slack's 3 s budget counts too.
    const ackTimer = this.options.ackDurations?.startTimer();
    let buffered: Awaited<ReturnType<typeof http.bufferIncomingMessage>>;
    try {
      buffered = await http.bufferIncomingMessage(req, this.options.bodyLimit ?? 1024 * 1024);
    } catch (err) {
      const tooLarge =
        http.isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413);
      this.log.warn({ tooLarge }, 'could not read a request body');
      return http.buildNoBodyResponse(res, tooLarge ? 413 : 400);
    }
    const raw = buffered.rawBody.toString('utf8');
    const contentType = req.headers['content-type'];
    if (mediaType(contentType) === FORM && parseQuery(raw).ssl_check === '1') {
      // Slack's SSL check is unsigned by design: answer it, and act on nothing it carries.
      return http.buildSSLCheckResponse(res);
    }
    const verified = this.verify(req, raw);
    if (!verified.ok) {
      this.log.warn({ reason: verified.reason }, 'refused an unverified request');
      return http.buildNoBodyResponse(res, 401);
    }
    const parsed = parseBody(raw, contentType);
    if (!parsed.ok) {
      this.log.warn({ reason: parsed.reason }, 'refused a malformed signed request');
      return http.buildNoBodyResponse(res, 400);
    }
    const { body } = parsed;
    if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
    if (ackTimer) res.once('finish', () => ackTimer({ type: requestType(body) }));
    const ack = new HTTPResponseAck({
      logger: boltLogger(this.log),
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.app?.processEvent({
        body,
        ack: ack.bind(),
        ...retryOf(req),
      });
    } catch (err) {
      this.log.error({ err }, 'Bolt could not process an event');
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    }
  }

  private verify(req: IncomingMessage, raw: string): { ok: true } | { ok: false; reason: string } {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = req.headers['x-slack-signature'];
    if (!Number.isInteger(timestamp) || typeof signature !== 'string') {
      return { ok: false, reason: 'missing signature headers' };
    }
    const nowS = Math.floor((this.options.now ?? Date.now)() / 1000);
    // Bolt's own check refuses stale timestamps only; a future one is a replay prepared in advance.
    if (Math.abs(nowS - timestamp) > MAX_CLOCK_SKEW_S)
      return { ok: false, reason: 'timestamp outside ±5 minutes' };
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowS * 1000,
      });
      return { ok: true };
    } catch {
      return { ok: false, reason: 'signature mismatch' };
    }
  }
}

/** The kinds of request Slack sends to a Request URL; anything else is `other`, keeping the label bounded. */
const REQUEST_TYPES = new Set([
  'block_actions',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'block_suggestion',
  'event_callback',
  'interactive_message',
]);

/** `slash_command` for a command (a form with `command`), else the payload's own `type`. */
function requestType(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  return typeof body.type === 'string' && REQUEST_TYPES.has(body.type) ? body.type : 'other';
}

/** Slack's re-delivery headers, passed on to Bolt (and from there to the listeners' `context`). */
function retryOf(req: IncomingMessage): { retryNum?: number; retryReason?: string } {
  const retryNum = http.extractRetryNumFromHTTPRequest(req);
  const retryReason = http.extractRetryReasonFromHTTPRequest(req);
  return {
    ...(retryNum !== undefined && !Number.isNaN(retryNum) ? { retryNum } : {}),
    ...(retryReason ? { retryReason } : {}),
  };
}
