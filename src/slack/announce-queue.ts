import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import type { IncidentStore } from '../incidents/incident-store.js';
import type { Logger } from '../logging/logger.js';
import { section } from './render/blocks.js';
import { renderAnnouncement } from './render/render-announcement.js';
import { isChannelFact } from './slack-errors.js';
import type { SlackLedger } from './slack-ledger.js';
import type { SlackOutbound } from './slack-outbound.js';

export const ANNOUNCE_QUEUE = 'firebreak-announcements';

export const announceJobSchema = z.strictObject({ incidentId: z.string().min(1) });
export type AnnounceJob = z.infer<typeof announceJobSchema>;

/** Announcements of new incidents in INCIDENT_ANNOUNCE_CHANNEL; the job id `announce-<id>` makes each one once. */
export function createAnnounceQueue(connection: ConnectionOptions, prefix?: string): Queue<AnnounceJob> {
  return new Queue<AnnounceJob>(ANNOUNCE_QUEUE, {
    connection,
    ...(prefix ? { prefix } : {}),
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export interface AnnounceDeps {
  outbound: SlackOutbound;
  store: IncidentStore;
  ledger: SlackLedger;
  announceChannel: string;
  log: Logger;
}

/**
 * Posts the announcements, in order, at the announce channel's pace (shared by every replica through
 * Redis), apart from the openings: a hundred incidents opened at once are announced over ~100 s while
 * each one's diagnosis runs at once. A job retried after its replica died looks for its message first.
 */
export function createAnnounceWorker(
  deps: AnnounceDeps,
  options: { connection: ConnectionOptions; prefix?: string },
): Worker<AnnounceJob> {
  const worker = new Worker<AnnounceJob>(
    ANNOUNCE_QUEUE,
    async (job) => {
      const { incidentId } = announceJobSchema.parse(job.data);
      const [incident, { channel }] = await Promise.all([
        deps.store.get(incidentId),
        deps.ledger.read(incidentId),
      ]);
      if (!incident || !channel) return;
      const text = renderAnnouncement(incident, channel.id);
      try {
        await deps.outbound.post({
          channel: deps.announceChannel,
          message: { text, blocks: [section(text)] },
          key: `announce/${incident.id}`,
          // Started before (a dead replica, a failed attempt): it may be there already.
          ...((job.attemptsStarted ?? 0) > 1 || job.attemptsMade > 0 ? { since: job.timestamp } : {}),
        });
      } catch (err) {
        // A misconfigured announce channel (bot not in it, archived, wrong id) must not hold up anything:
        // the announcement is a courtesy, the incident is not.
        if (!isChannelFact(err)) throw err;
        deps.log.warn(
          { err, channel: deps.announceChannel },
          'cannot post to INCIDENT_ANNOUNCE_CHANNEL (invite the bot there, or fix the id); not announced',
        );
      }
    },
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      // One at a time: the channel's pace is the limit anyway, and announcements stay in opening order.
      concurrency: 1,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    },
  );
  worker.on('error', (err) => deps.log.error({ err }, 'announcement worker error'));
  worker.on('failed', (job, err) =>
    deps.log.warn({ err, incidentId: job?.data.incidentId }, 'announcing an incident failed'),
  );
  return worker;
}
