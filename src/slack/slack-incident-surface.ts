import type { FetchFunction } from '@slack/web-api';
import type { Queue } from 'bullmq';
import { FirebreakError } from '../errors.js';
import { type Incident, randomSuffix } from '../incidents/incident.js';
import type { IncidentSurface, RequesterNotice } from '../incidents/incident-surface.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { AnnounceJob } from './announce-queue.js';
import { channelNameFor } from './channel-name.js';
import { section } from './render/blocks.js';
import { renderResponderPage } from './render/render-announcement.js';
import { dashboardLinks, renderHeader } from './render/render-header.js';
import { renderRequesterNotice } from './render/render-requester-notice.js';
import { isChannelFact, slackErrorCode } from './slack-errors.js';
import type { SlackLedger } from './slack-ledger.js';
import type { SlackOutbound } from './slack-outbound.js';

export interface SlackIncidentSurfaceOptions {
  outbound: SlackOutbound;
  ledger: SlackLedger;
  /** Announcements are posted from this queue, paced, so that no opening waits on the announce channel. */
  announcements: Queue<AnnounceJob>;
  /** The bot's user id once `auth.test` answered: a channel it created is one it may adopt. */
  botUserId: () => string | undefined;
  runbooks: RunbookCatalog;
  /** User ids invited to every incident channel (INCIDENT_RESPONDERS), besides the requester. */
  responders: readonly string[];
  announceChannel: string | undefined;
  log: Logger;
  /** For the dashboard links of the header (never secrets: only `monitoring.dashboards` URLs). */
  vars: Variables;
  /** Posts to response URLs: the surface's guarded fetch (Slack's hosts only, bodies masked). */
  fetch: FetchFunction;
}

/** Slack's answers to conversations.create that no retry changes, with the fix for each. */
const PERMANENT_REFUSALS: Record<string, string> = {
  missing_scope: "add the channels:manage scope to the app's bot token and reinstall it",
  restricted_action: 'a workspace admin restricts who may create channels; allow the Firebreak app to',
  no_permission: 'the bot is not allowed to create channels in this workspace',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid',
  not_authed: 'SLACK_BOT_TOKEN is missing',
  token_revoked: 'SLACK_BOT_TOKEN was revoked; reinstall the app',
  account_inactive: 'the bot user is deactivated; reinstall the app',
  not_allowed_token_type: 'SLACK_BOT_TOKEN must be a bot token (xoxb-)',
};

/**
 * The incident's place in Slack: a channel (created, retried on a taken name), its responders, a
 * pinned header whose thread is the timeline, the announcement, and answers to the requester. Each
 * step is recorded in the ledger before the next, so a resumed opening does none twice.
 */
export function createSlackIncidentSurface(options: SlackIncidentSurfaceOptions): IncidentSurface {
  const { outbound, ledger, log } = options;

  /**
   * The channel of this name if this bot created it for this incident: a create whose answer was
   * lost, or that a replica made before it died. Anything else (someone's channel, an archived one)
   * is not ours to take.
   */
  const ownChannel = async (incident: Incident, name: string) => {
    const found = await outbound.findChannel(name);
    const bot = options.botUserId();
    const sinceOpened = (found?.created ?? 0) * 1000 >= Date.parse(incident.openedAt) - 60_000;
    if (!found || found.archived || !bot || found.creator !== bot || !sinceOpened) return undefined;
    log.info(
      { incidentId: incident.id, channel: name },
      'found the incident channel an earlier attempt created',
    );
    return { id: found.id, name: found.name };
  };

  const createChannel = async (incident: Incident): Promise<{ id: string; name: string }> => {
    // The first name reuses the incident id's suffix; a taken name (also archived ones) gets a new one.
    let suffix = incident.id.split('-').at(-1) ?? randomSuffix();
    for (let attempt = 1; ; attempt++) {
      const name = channelNameFor(incident, suffix);
      try {
        return await outbound.call(
          'conversations.create',
          async (c) => {
            const result = await c.conversations.create({ name, is_private: false });
            return { id: result.channel?.id as string, name: result.channel?.name ?? name };
          },
          // Lost answer: Slack may have created it. Look it up by name before creating another.
          { safe: false, onUnknown: () => ownChannel(incident, name) },
        );
      } catch (err) {
        const code = slackErrorCode(err);
        const refusal = code && PERMANENT_REFUSALS[code];
        if (refusal) {
          // The app's setup, not a passing fault: retrying for minutes would only delay the bad news.
          throw new FirebreakError(
            'surface_unusable',
            `Slack refused to create its channel (${code}): ${refusal}`,
            { cause: err },
          );
        }
        if (code !== 'name_taken' || attempt >= 5) throw err;
        // Taken by an earlier attempt of this very opening (its answer lost, or its replica gone)?
        const own = await ownChannel(incident, name);
        if (own) return own;
        log.info({ name }, 'channel name taken, trying another');
        suffix = randomSuffix();
      }
    }
  };

  const invite = async (channelId: string, userIds: readonly string[]): Promise<void> => {
    if (userIds.length === 0) return;
    try {
      // force: invite the valid users even if one id is wrong, instead of nobody.
      await outbound.call(
        'conversations.invite',
        (c) => c.conversations.invite({ channel: channelId, users: userIds.join(','), force: true }),
        { safe: true },
      );
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'already_in_channel' || code === 'cant_invite_self') return;
      if (code === 'user_not_found' || code === 'cant_invite') {
        log.warn({ err, channelId }, 'some responders could not be invited');
        return;
      }
      // Archived or gone: retrying cannot help, and posting the header (next) reports it to the requester.
      if (isChannelFact(err)) {
        log.warn({ err, channelId }, 'cannot invite into the incident channel');
        return;
      }
      throw err;
    }
  };

  const postHeader = async (incident: Incident, channel: { id: string; name: string }): Promise<string> => {
    const message = renderHeader(incident, dashboardLinks(options.runbooks.get(incident.kind), options.vars));
    const since = (await ledger.read(incident.id)).delivery.attempts.get('header');
    await ledger.markAttempt(incident.id, 'header', Date.now());
    let ts: string;
    try {
      ({ ts } = await outbound.post({
        channel: channel.id,
        message,
        key: `${incident.id}/header`,
        ...(since !== undefined ? { since } : {}),
      }));
    } catch (err) {
      if (!isChannelFact(err)) throw err;
      // Archived (or deleted) under our feet: a fact, not a fault. Stop the opening; the incident
      // worker closes the incident and tells the requester. Plain text: it is kept in the timeline.
      const why =
        slackErrorCode(err) === 'is_archived' ? 'was archived' : `cannot be used (${slackErrorCode(err)})`;
      throw new FirebreakError('surface_unusable', `its channel #${channel.name} ${why}`, { cause: err });
    }
    await outbound
      .call('pins.add', (c) => c.pins.add({ channel: channel.id, timestamp: ts }), { safe: true })
      .catch((err) => {
        if (slackErrorCode(err) !== 'already_pinned') log.warn({ err }, 'could not pin the incident header');
      });
    return ts;
  };

  // Only the requester sees these; a response_url that expired or was used up is logged, not fatal.
  const notifyRequester = async (incident: Incident, notice: RequesterNotice): Promise<void> => {
    try {
      const { origin, channel } = await ledger.read(incident.id);
      if (!origin?.responseUrl) return;
      const answer = await options.fetch(origin.responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: false,
          text: renderRequesterNotice(incident, notice, channel),
        }),
        signal: AbortSignal.timeout(5000),
      });
      if (!answer.ok) throw new Error(`the response_url answered ${answer.status}`);
    } catch (err) {
      log.warn(
        { err: { message: (err as Error).message } },
        'could not answer the requester via response_url',
      );
    }
  };

  return {
    async prepare(incident) {
      const record = await ledger.read(incident.id);
      let channel = record.channel;
      if (!channel) {
        channel = await createChannel(incident);
        await ledger.setChannel(incident.id, channel);
        log.info({ incidentId: incident.id, channel: channel.name }, 'incident channel created');
      }
      if (!record.invited) {
        // The requester, when a person in Slack asked; an alert has no one to invite.
        const requester = incident.openedVia === 'slack' ? [incident.openedBy] : [];
        await invite(channel.id, [...new Set([...requester, ...options.responders])]);
        await ledger.markInvited(incident.id);
      }
      if (!record.headerTs) {
        await ledger.setHeader(incident.id, await postHeader(incident, channel));
      }
    },

    async announce(incident) {
      // Queued, not posted: the announce channel is shared by every incident, and at Slack's one
      // message per second the hundredth opening would otherwise wait there before its diagnosis.
      if (options.announceChannel) {
        await options.announcements.add(
          'announce',
          { incidentId: incident.id },
          { jobId: `announce-${incident.id}` },
        );
      }
      await notifyRequester(incident, { type: 'opened' });
      // Nobody typed a command: the responders hear of an alert's incident where they will work it.
      const { channel } = await ledger.read(incident.id);
      if (channel && incident.openedVia === 'alertmanager' && options.responders.length > 0) {
        const text = renderResponderPage(incident, options.responders);
        await outbound
          .post({
            channel: channel.id,
            message: { text, blocks: [section(text)] },
            key: `${incident.id}/page`,
          })
          .catch((err: unknown) => {
            if (!isChannelFact(err)) throw err;
            log.warn(
              { err, incidentId: incident.id },
              'could not mention the responders in the incident channel',
            );
          });
      }
    },

    notifyRequester,
  };
}
