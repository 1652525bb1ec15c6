import type { WebClient } from '@slack/web-api';
import axios from 'axios';
import { channelNameFor, type Incident, randomSuffix } from '../incidents/incident.js';
import type { IncidentChannelPort } from '../incidents/run-open-flow.js';
import type { Logger } from '../logging/logger.js';
import type { Variables } from '../runbooks/interpolate.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { ChannelPacer } from './channel-pacer.js';
import { escapeMrkdwn } from './render/blocks.js';
import { dashboardLinks, renderHeader } from './render/render-header.js';
import { slackErrorCode } from './slack-errors.js';

export interface SlackIncidentChannelOptions {
  client: WebClient;
  pacer: ChannelPacer;
  runbooks: RunbookCatalog;
  announceChannel: string | undefined;
  log: Logger;
  /** For the dashboard links of the header (never secrets: only `monitoring.dashboards` URLs). */
  vars: Variables;
}

/** The incident's Slack channel: creation, invitations, header and announcement. */
export function createSlackIncidentChannel(options: SlackIncidentChannelOptions): IncidentChannelPort {
  const { client, pacer, log } = options;
  return {
    async createChannel(incident) {
      // The first name reuses the incident id's suffix; a taken name (also archived ones) gets a new one.
      let suffix = incident.id.split('-').at(-1) ?? randomSuffix();
      for (let attempt = 1; ; attempt++) {
        const name = channelNameFor(incident, suffix);
        try {
          const result = await client.conversations.create({ name, is_private: false });
          return { id: result.channel?.id as string, name: result.channel?.name ?? name };
        } catch (err) {
          if (slackErrorCode(err) !== 'name_taken' || attempt >= 5) throw err;
          log.info({ name }, 'channel name taken, trying another');
          suffix = randomSuffix();
        }
      }
    },

    async invite(channelId, userIds) {
      if (userIds.length === 0) return;
      try {
        // force: invite the valid users even if one id is wrong, instead of nobody.
        await client.conversations.invite({ channel: channelId, users: userIds.join(','), force: true });
      } catch (err) {
        const code = slackErrorCode(err);
        if (code === 'already_in_channel' || code === 'cant_invite_self') return;
        if (code === 'user_not_found' || code === 'cant_invite') {
          log.warn({ err, channelId }, 'some responders could not be invited');
          return;
        }
        throw err;
      }
    },

    async postHeader(incident) {
      const message = renderHeader(
        incident,
        dashboardLinks(options.runbooks.get(incident.kind), options.vars),
      );
      const channel = incident.channel?.id as string;
      await pacer.take(channel);
      const result = await client.chat.postMessage({ channel, ...message, unfurl_links: false });
      await client.pins.add({ channel, timestamp: result.ts as string }).catch((err) => {
        log.warn({ err }, 'could not pin the incident header');
      });
      return result.ts as string;
    },

    async announce(incident) {
      const channel = incident.channel as { id: string; name: string };
      const text =
        `:rotating_light: Incident *${incident.id}* opened by <@${incident.openedBy}>: ${escapeMrkdwn(incident.title)}` +
        `${incident.summary ? ` — ${escapeMrkdwn(incident.summary)}` : ''}. Join <#${channel.id}>.`;
      if (options.announceChannel) {
        await pacer.take(options.announceChannel);
        await client.chat.postMessage({ channel: options.announceChannel, text, unfurl_links: false });
      }
      if (incident.origin.responseUrl) {
        await answerRequester(incident, `Incident *${incident.id}* is open in <#${channel.id}>.`).catch(
          (err) => {
            log.warn(
              { err: { message: (err as Error).message } },
              'could not answer the requester via response_url',
            );
          },
        );
      }
    },
  };
}

/** response_url answers stay ephemeral: only the person who typed the command sees them. */
async function answerRequester(incident: Incident, text: string): Promise<void> {
  await axios.post(
    incident.origin.responseUrl as string,
    { response_type: 'ephemeral', replace_original: false, text },
    { timeout: 5000, proxy: false },
  );
}
