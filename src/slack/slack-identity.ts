import type { FetchFunction, WebClient, WebClientOptions } from '@slack/web-api';
import type { Config } from '../config/read-config.js';
import type { Logger } from '../logging/logger.js';
import { MeteredWebClient, type SlackMetrics } from './metered-web-client.js';
import { slackErrorCode } from './slack-errors.js';

/** Who the bot is in Slack, filled in by `auth.test` once Slack answers. */
export interface SlackIdentity {
  botToken: string;
  botId?: string;
  botUserId?: string;
  /** `unverified` until auth.test answers; `invalid` when Slack rejected the token. */
  status: 'unverified' | 'verified' | 'invalid';
}

/** The Slack part of the configuration. */
export type SlackSettings = Config['slack'];

/**
 * How every Web API client of the bot retries. web-api retries for ~30 minutes by default; an
 * incident bot must fail fast and let its queues retry.
 */
export const webApiClientOptions = {
  retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
  timeout: 10_000,
} as const;

/**
 * The bot's outbound Web API client (channel creation, timeline delivery), every call measured
 * (`MeteredWebClient`). It never retries by itself and hands 429s back: `SlackOutbound` decides what
 * may be retried (a retried post whose answer was lost would post twice) and waits out a Retry-After
 * for that call alone.
 */
export function createSlackClient(
  settings: Omit<SlackSettings, 'responseUrlHosts'>,
  log: Logger,
  metrics: Pick<SlackMetrics, 'slackApiCalls' | 'slackRateLimited'>,
  /** `fetch`: the surface's guarded fetch (Slack's hosts only, bodies masked). */
  client: { timeoutMs?: number; fetch?: FetchFunction } = {},
): WebClient {
  const options: WebClientOptions = {
    slackApiUrl: settings.apiUrl,
    ...(client.fetch ? { fetch: client.fetch } : {}),
    timeout: client.timeoutMs ?? webApiClientOptions.timeout,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: {
      debug: (...m) => log.debug({ component: 'web-api' }, m.map(String).join(' ')),
      info: (...m) => log.info({ component: 'web-api' }, m.map(String).join(' ')),
      warn: (...m) => log.warn({ component: 'web-api' }, m.map(String).join(' ')),
      error: (...m) => log.error({ component: 'web-api' }, m.map(String).join(' ')),
      setLevel: () => undefined,
      getLevel: () => 'info' as never,
      setName: () => undefined,
    },
  };
  return new MeteredWebClient(settings.botToken, options, metrics);
}

/**
 * Verifies the token with auth.test in the background, retrying while Slack is unreachable. Bolt's
 * own verification runs in its constructor and crashes the process when Slack is briefly down at start.
 */
export function verifySlackIdentity(
  client: Pick<WebClient, 'auth'>,
  identity: SlackIdentity,
  log: Logger,
  retryMs = 5000,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async () => {
    try {
      const result = await client.auth.test();
      if (result.bot_id) identity.botId = result.bot_id;
      if (result.user_id) identity.botUserId = result.user_id;
      identity.status = 'verified';
      log.info({ team: result.team, user: result.user }, 'Slack token verified');
    } catch (err) {
      const code = slackErrorCode(err);
      if (
        code === 'invalid_auth' ||
        code === 'not_authed' ||
        code === 'account_inactive' ||
        code === 'token_revoked'
      ) {
        identity.status = 'invalid';
        log.error(
          { code },
          'Slack rejected SLACK_BOT_TOKEN: check it in the app settings (OAuth & Permissions)',
        );
        return;
      }
      log.warn(
        { err: { message: (err as Error).message } },
        'Slack is unreachable; will verify the token again',
      );
      if (!stopped) timer = setTimeout(attempt, retryMs).unref();
    }
  };
  void attempt();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
