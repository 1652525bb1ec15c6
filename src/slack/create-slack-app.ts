import { App } from '@slack/bolt';
import type { FetchFunction } from '@slack/web-api';
import type { Cluster, Redis } from 'ioredis';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import { createLogLimiter } from '../logging/log-limiter.js';
import type { Logger } from '../logging/logger.js';
import { registerApproveAnyway } from './actions/approve-anyway.js';
import { registerChecklistButtons } from './actions/checklist-buttons.js';
import { registerDecisionButtons } from './actions/decision-buttons.js';
import { registerRevealButton } from './actions/reveal-cards-button.js';
import { boltLogger } from './bolt-logger.js';
import type { ClosingServices } from './closing-services.js';
import { registerIncidentCommand } from './commands/incident-command.js';
import { registerPinnedMessages } from './events/pinned-messages.js';
import type { SlackMetrics } from './metered-web-client.js';
import { registerOncePerDelivery } from './once-per-delivery.js';
import { type SlackIdentity, type SlackSettings, webApiClientOptions } from './slack-identity.js';
import type { SlackLedger } from './slack-ledger.js';
import { checkSlackPayload } from './slack-payload.js';
import { SlackReceiver } from './slack-receiver.js';

/**
 * The Bolt app: in HTTP mode (the production default behind a load balancer) its receiver is a route
 * of Firebreak's own HTTP server (`receiver.route()`); with SLACK_APP_TOKEN it connects through Socket
 * Mode instead, and the HTTP server still serves health and metrics.
 */
export function createSlackApp(
  settings: SlackSettings,
  core: IncidentDeps,
  ledger: SlackLedger,
  identity: SlackIdentity,
  log: Logger,
  closing: ClosingServices,
  metrics: Pick<SlackMetrics, 'slackAckDuration'>,
  /** Where a request's id is remembered, so a replay or a retry does its work once. */
  redis: Redis | Cluster,
  prefix: string,
  /** The surface's guarded fetch: Slack's hosts only, bodies masked (also what Bolt's respond() uses). */
  fetch?: FetchFunction,
): { app: App; receiver: SlackReceiver | undefined } {
  const receiver = settings.appToken
    ? undefined
    : new SlackReceiver({
        signingSecret: settings.signingSecret,
        responseUrlHosts: settings.responseUrlHosts,
        log,
        ackDurations: metrics.slackAckDuration,
      });
  const app = new App({
    // An authorize function instead of `token`: Bolt would call auth.test in its constructor and
    // crash the process when Slack is unreachable at start (see slack-identity.ts).
    authorize: async () => ({
      botToken: identity.botToken,
      ...(identity.botId ? { botId: identity.botId } : {}),
      ...(identity.botUserId ? { botUserId: identity.botUserId } : {}),
    }),
    logger: boltLogger(log),
    // Bolt mutates clientOptions: a fresh object per App.
    clientOptions: {
      slackApiUrl: settings.apiUrl,
      ...webApiClientOptions,
      retryConfig: { ...webApiClientOptions.retryConfig },
      // Also what Bolt's respond() posts with: Slack's hosts only, bodies masked.
      ...(fetch ? { fetch } : {}),
    },
    ...(receiver ? { receiver } : { socketMode: true, appToken: settings.appToken as string }),
  });
  const limited = createLogLimiter(log.child({ component: 'slack-app' }));
  if (!receiver) {
    // Socket Mode has no receiver of ours: the same payload rule, before any listener.
    app.use(async (args) => {
      const checked = checkSlackPayload(args.body as Record<string, unknown>, settings.responseUrlHosts);
      if (checked.ok) return args.next();
      limited.log(
        'warn',
        `malformed:${checked.reason}`,
        { reason: checked.reason },
        'refused a malformed Slack request',
      );
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
    });
  }
  registerOncePerDelivery(app, redis, prefix, log);
  registerIncidentCommand(app, core, ledger, closing);
  registerDecisionButtons(app, core, ledger);
  registerRevealButton(app, core, ledger);
  registerApproveAnyway(app, core, ledger);
  registerChecklistButtons(app, closing, ledger);
  registerPinnedMessages(app, core, ledger);
  app.error(async (error) => {
    limited.log(
      'error',
      `handler:${error.code ?? error.name}`,
      { err: error },
      'unhandled Slack handler error',
    );
  });
  return { app, receiver };
}
