import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import { readBody } from '../http/read-body.js';
import { type Route, sendJson } from '../http/route.js';
import type { Logger } from '../logging/logger.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import { alertGroupId, summarizeDelivery } from './alert-delivery.js';
import type { AlertLedger } from './alert-ledger.js';
import { type AlertJob, enqueueAlertGroup } from './alert-queue.js';
import { parseAlertmanagerPayload } from './alertmanager-payload.js';

export const ALERTMANAGER_PATH = '/alerts/alertmanager';
/** Larger than any notification Alertmanager sends (`max_alerts` aside), small enough to refuse unread. */
export const ALERT_BODY_LIMIT = 10 * 1024 * 1024;

export interface AlertmanagerRouteOptions {
  /** ALERT_WEBHOOK_TOKEN: required as `Authorization: Bearer …` when set; unset, the webhook is open. */
  token: string | undefined;
  ledger: AlertLedger;
  queue: Queue<AlertJob>;
  log: Logger;
  metrics: Pick<FirebreakMetrics, 'alertRequests'>;
  /** @defaultValue {@link ALERT_BODY_LIMIT} (10 MiB) */
  bodyLimit?: number;
  /** @defaultValue the wall clock */
  now?: () => Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** Constant time whatever the lengths: both sides are hashed first. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const [scheme, sent] = (header ?? '').trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'bearer' || !sent) return false;
  return timingSafeEqual(sha256(sent), sha256(token));
}

/**
 * `POST /alerts/alertmanager`: Alertmanager's webhook (payload version 4). Checks the bearer token,
 * reads at most 10 MiB, validates the payload, keeps it as its group's latest delivery and queues the
 * group — then answers 202, in a few Redis round trips; the alert worker does the rest. A refusal
 * (401, 400 with the reason, 413) records nothing. 503 when Redis cannot take it: Alertmanager retries.
 */
export function alertmanagerRoute(options: AlertmanagerRouteOptions): Route {
  const log = options.log.child({ component: 'alertmanager-webhook' });
  const limit = options.bodyLimit ?? ALERT_BODY_LIMIT;
  const now = options.now ?? (() => new Date());
  const refuse = (res: ServerResponse, status: number, outcome: string, error: string, reason: string) => {
    options.metrics.alertRequests.inc({ outcome });
    log.warn({ status, reason }, 'refused an Alertmanager delivery');
    // The rest of a refused upload is not read: close the connection instead of keeping it alive.
    res.setHeader('connection', 'close');
    sendJson(res, status, { error, reason });
  };

  return {
    method: 'POST',
    path: ALERTMANAGER_PATH,
    async handle(req: IncomingMessage, res: ServerResponse) {
      if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
        res.setHeader('www-authenticate', 'Bearer realm="firebreak"');
        return refuse(
          res,
          401,
          'unauthorized',
          'unauthorized',
          'send Authorization: Bearer <ALERT_WEBHOOK_TOKEN> (http_config.authorization in alertmanager.yml)',
        );
      }
      const body = await readBody(req, limit);
      if (!body.ok) {
        if (body.reason === 'aborted') return void res.destroy();
        return refuse(
          res,
          413,
          'too_large',
          'payload_too_large',
          `body larger than ${limit} bytes: lower max_alerts in the receiver's webhook_configs`,
        );
      }
      const parsed = parseAlertmanagerPayload(body.text);
      if (!parsed.ok) return refuse(res, 400, 'invalid', 'invalid_payload', parsed.reason);

      const delivery = summarizeDelivery(parsed.payload, now());
      const groupId = alertGroupId(delivery.groupKey);
      try {
        await options.ledger.saveLatest(groupId, delivery);
        await enqueueAlertGroup(options.queue, groupId);
      } catch (err) {
        options.metrics.alertRequests.inc({ outcome: 'unavailable' });
        log.error({ err, groupKey: delivery.groupKey }, 'could not queue an Alertmanager delivery');
        return sendJson(res, 503, {
          error: 'unavailable',
          reason: 'Firebreak could not queue the delivery (Redis); Alertmanager will retry',
        });
      }
      options.metrics.alertRequests.inc({ outcome: 'accepted' });
      log.debug({ groupKey: delivery.groupKey, status: delivery.status }, 'Alertmanager delivery queued');
      sendJson(res, 202, { status: 'accepted', group: groupId });
    },
  };
}
