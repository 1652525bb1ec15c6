import type { App } from '@slack/bolt';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/**
 * How long a delivery's id is remembered: longer than the ±5 minutes a signed request is accepted
 * in, and than Slack's Events API retries (at once, after ~1 and ~5 minutes).
 */
const REMEMBER_S = 15 * 60;

/** `context.firstDelivery`: resolves false when this request was handled before (a replay or a retry). */
export type FirstDelivery = Promise<boolean>;

/**
 * The id that makes a request the same request: an event's `event_id` (Slack's Events API retries
 * re-send it, `X-Slack-Retry-Num` counting), a slash command's or an interaction's `trigger_id`
 * (unique per invocation, so a replayed signed body carries the same one).
 */
function deliveryId(body: Record<string, unknown>): string | undefined {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string')
    return `command:${body.trigger_id}`;
  return undefined;
}

/**
 * Makes every Slack request do its work once, on whichever replica it lands: its id is claimed in
 * Redis (SET NX) the first time. Events are acknowledged by Bolt before this runs, so a repeated
 * event stops here; a command must be acknowledged within 3 s whatever Redis does, so the claim runs
 * alongside the ack and the handler awaits `context.firstDelivery` before its work. When Redis does
 * not answer, the request counts as new: losing an incident to a Redis hiccup is worse than a rare
 * double (and opening needs Redis anyway).
 */
export function registerOncePerDelivery(app: App, redis: Redis | Cluster, prefix: string, log: Logger): void {
  app.use(async ({ body, context, next }) => {
    const id = deliveryId(body as Record<string, unknown>);
    if (!id) return next();
    const first: FirstDelivery = redis
      .set(`${prefix}slack:seen:${id}`, '1', 'EX', REMEMBER_S, 'NX')
      .then((answer) => answer === 'OK')
      .catch(() => true);
    if (id.startsWith('command:')) {
      context.firstDelivery = first;
      return next();
    }
    if (!(await first)) {
      log.info(
        { id, retryNum: context.retryNum, retryReason: context.retryReason },
        'Slack re-delivered a request already handled; ignored',
      );
      return;
    }
    await next();
  });
}
