import type { Logger } from '../logging/logger.js';
import type { TimelineEntry } from './timeline-entry.js';
import type { TimelineRecorder } from './timeline-recorder.js';

/** Reacts to an entry once it is stored (the checklist starting at a mitigation, a metric). */
export type TimelineObserver = (incidentId: string, entry: TimelineEntry) => Promise<void>;

export interface ObservedRecorder extends TimelineRecorder {
  /** Adds an observer for every entry recorded from now on. */
  observe(observer: TimelineObserver): void;
}

/**
 * A recorder whose entries are also handed to observers, in the process that recorded them, after
 * the entry is durable. An observer that fails is logged and never fails the recording: what happened
 * is in the timeline whatever an observer does with it (and resumption at start catches up).
 */
export function observeTimeline(recorder: TimelineRecorder, log: Logger): ObservedRecorder {
  const observers: TimelineObserver[] = [];
  return {
    observe(observer) {
      observers.push(observer);
    },
    async record(incidentId, event, actor) {
      const entry = await recorder.record(incidentId, event, actor);
      for (const observer of observers) {
        await observer(incidentId, entry).catch((err: unknown) =>
          log.error({ err, incidentId, seq: entry.seq, type: entry.type }, 'a timeline observer failed'),
        );
      }
      return entry;
    },
  };
}
