import { appendFileSync, renameSync } from 'node:fs';
import { FAULT_PROFILES } from './fault-profiles.js';
import type { Simulation } from './simulation.js';

/** Past this the log is rotated to `<file>.1`, as logrotate would, so a long `npm run sandbox` stays small. */
const MAX_LOG_BYTES = 4 * 1024 * 1024;
/** A fresh log already holds this much history, so a probe right after start finds the fault's lines. */
const BACKLOG_SECONDS = 30;

/** The generation service's log file, written as the simulation runs. */
export interface GenerationLog {
  readonly path: string;
  /** Appends the lines the service logged since the last call, at its current regime's rates. */
  append(): void;
}

/** Python logging's default `asctime`: `2026-11-24 10:15:02,123`. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
}

/** Creates the log at `path` with {@link BACKLOG_SECONDS} of history in the simulation's current regime. */
export function createGenerationLog(path: string, sim: Simulation): GenerationLog {
  // Fractional lines carried over, so each line keeps its rate whatever the call interval.
  const owed = new Map<string, number>();
  let bytes = 0;
  let loggedAt = sim.now() - BACKLOG_SECONDS * 1000;

  const linesUntil = (now: number): string[] => {
    const seconds = Math.max(0, (now - loggedAt) / 1000);
    const lines: { at: number; text: string }[] = [];
    for (const { text, perSecond } of FAULT_PROFILES[sim.regime()].log) {
      const due = (owed.get(text) ?? 0) + perSecond * seconds;
      const whole = Math.floor(due);
      owed.set(text, due - whole);
      // Spread over the interval, so the backlog and each batch read like a log, not a burst.
      for (let i = 0; i < whole; i += 1)
        lines.push({ at: loggedAt + ((i + 1) / whole) * (now - loggedAt), text });
    }
    loggedAt = now;
    return lines.sort((a, b) => a.at - b.at).map((line) => `${timestamp(line.at)} ${line.text}\n`);
  };

  // Synchronous for the same reason as the procfs tree: small, frequent writes to the page cache.
  const append = (): void => {
    const lines = linesUntil(sim.now());
    if (lines.length === 0) return;
    const text = lines.join('');
    if (bytes + text.length > MAX_LOG_BYTES) {
      renameSync(path, `${path}.1`);
      bytes = 0;
    }
    appendFileSync(path, text);
    bytes += text.length;
  };

  appendFileSync(path, '');
  append();
  return { path, append };
}
