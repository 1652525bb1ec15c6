import { FirebreakError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Milliseconds from a runbook duration: `500ms`, `30s`, `2m`, `1h` (the format `durationSchema`
 * accepts). Throws `runbook_invalid` for anything else, so a hand-built runbook object that skipped
 * the schema still fails with a message that shows the expected shape.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new FirebreakError(
      'runbook_invalid',
      `"${text}" is not a duration: write e.g. "500ms", "30s", "2m" or "1h"`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
