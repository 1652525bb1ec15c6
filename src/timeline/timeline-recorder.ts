import type { Queue } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { Actor } from './actor.js';
import type { DeliveryJob } from './delivery-queue.js';
import type { TimelineEntry, TimelineEvent } from './timeline-entry.js';
import type { TimelineStore } from './timeline-store.js';

/** Appends an event to an incident's timeline, then asks for it to be delivered to the surfaces. */
export interface TimelineRecorder {
  record(incidentId: string, event: TimelineEvent, actor?: Actor): Promise<TimelineEntry>;
}

/**
 * Redis first, surfaces second: the entry is durable before any delivery is attempted. If queuing
 * the delivery fails, the entry is still stored and the next entry's flush (or a resumed incident)
 * delivers it.
 */
export function createTimelineRecorder(
  store: TimelineStore,
  deliveries: Queue<DeliveryJob>,
  log: Logger,
  now: () => Date = () => new Date(),
): TimelineRecorder {
  return {
    async record(incidentId, event, actor) {
      const entry = await store.appendTimeline(incidentId, event, actor, now());
      try {
        // One flush per incident at a time, across every replica: while one waits, it will see this
        // entry too (the add is ignored); while one runs, this one waits for it (keepLastIfActive).
        await deliveries.add(
          'flush',
          { incidentId, seq: entry.seq },
          { deduplication: { id: `flush-${incidentId}`, keepLastIfActive: true } },
        );
      } catch (err) {
        log.warn(
          { err, incidentId, seq: entry.seq },
          'timeline entry stored but its delivery could not be queued',
        );
      }
      return entry;
    },
  };
}
