import type { SecretMask } from '../secrets/secret-mask.js';
import type { TimelineEvent } from '../timeline/timeline-entry.js';
import type { TimelineRecorder } from '../timeline/timeline-recorder.js';

/** Fields that hold ids and words of the format, never free text: masking them could only break them. */
const NOT_TEXT = new Set([
  'type',
  'actionId',
  'groupId',
  'checkId',
  'probeId',
  'incidentId',
  'scenarioId',
  'status',
  'from',
  'to',
  'code',
  'decision',
  'kind',
  'via',
]);

function maskText(value: unknown, mask: SecretMask): unknown {
  if (typeof value === 'string') return mask.apply(value);
  if (Array.isArray(value)) return value.map((item) => maskText(item, mask));
  if (value !== null && typeof value === 'object') return maskFields(value as Record<string, unknown>, mask);
  return value;
}

function maskFields(fields: Record<string, unknown>, mask: SecretMask): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, NOT_TEXT.has(key) ? value : maskText(value, mask)]),
  );
}

/**
 * The timeline as every surface and the postmortem read it, with secrets out of its free text: a
 * note a person typed with a token in it, a reason quoting a URL with its password. Masked before
 * Redis, so no copy of it holds the secret.
 */
export function maskTimeline(recorder: TimelineRecorder, mask: SecretMask): TimelineRecorder {
  return {
    record: (incidentId, event, actor) =>
      recorder.record(
        incidentId,
        maskFields(event as unknown as Record<string, unknown>, mask) as TimelineEvent,
        actor,
      ),
  };
}
