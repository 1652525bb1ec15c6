import { App } from '@slack/bolt';
import type { Config } from '../config/read-config.js';
import type { IncidentDeps } from '../incidents/incident-deps.js';
import type { Logger } from '../logging/logger.js';
import type { FirebreakMetrics } from '../metrics/metrics.js';
import { registerDecisionButtons } from './actions/decision-buttons.js';
import { boltLogger } from './bolt-logger.js';
import { registerIncidentCommand } from './commands/incident-command.js';
import { type HealthChecks, healthRoutes } from './health-routes.js';
import type { SlackIdentity } from './slack-identity.js';

/**
 * The Bolt app: HTTP receiver at POST /slack/events (the production default behind a load balancer),
 * or Socket Mode when SLACK_APP_TOKEN is set. Health and metrics routes are served either way on PORT.
 */
export function createSlackApp(
  config: Config,
  deps: IncidentDeps,
  health: HealthChecks,
  log: Logger,
  metrics: FirebreakMetrics,
  identity: SlackIdentity,
): App {
  const socketMode = config.slack.appToken !== undefined;
  const app = new App({
    // An authorize function instead of `token`: Bolt would call auth.test in its constructor and
    // crash the process when Slack is unreachable at start (see slack-identity.ts).
    authorize: async () => ({
      botToken: identity.botToken,
      ...(identity.botId ? { botId: identity.botId } : {}),
      ...(identity.botUserId ? { botUserId: identity.botUserId } : {}),
    }),
    logger: boltLogger(log),
    customRoutes: healthRoutes(health),
    // Bolt mutates clientOptions: a fresh object per App.
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      // web-api retries for ~30 minutes by default; an incident bot must fail fast and let its queue retry.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
      timeout: 10_000,
    },
    ...(socketMode
      ? {
          socketMode: true,
          appToken: config.slack.appToken as string,
          installerOptions: { port: config.port },
        }
      : { signingSecret: config.slack.signingSecret }),
  });
  registerIncidentCommand(app, deps, metrics);
  registerDecisionButtons(app, deps, metrics);
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled Slack handler error');
  });
  return app;
}
