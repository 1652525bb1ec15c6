import { z } from 'zod';
import { formatPath } from '../runbooks/load-runbooks.js';

/** The only webhook format Alertmanager has sent since 0.x (`notify/webhook`: `Version: "4"`). */
export const ALERTMANAGER_PAYLOAD_VERSION = '4';

const alertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatus>;

/** Label and annotation sets: Alertmanager renders both as string → string maps. */
const labelSet = z.record(z.string(), z.string());

/**
 * Go's `time.Time` in JSON: RFC 3339 with nanoseconds and an offset. A firing alert that has no end
 * yet carries Go's zero time, `0001-01-01T00:00:00Z`, which this accepts too.
 */
const timestamp = z.iso.datetime({ offset: true });

// Loose objects: Alertmanager adds fields within version 4 (`truncatedAlerts` came in 0.22), and a
// receiver that rejected them would drop alerts after an upgrade. What Firebreak reads is checked.
const alertSchema = z.looseObject({
  status: alertStatus,
  labels: labelSet,
  annotations: labelSet,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: z.string(),
  /** Stable per label set: the same alert in a re-send has the same fingerprint. */
  fingerprint: z.string().min(1),
});
export type AlertmanagerAlert = z.infer<typeof alertSchema>;

export const alertmanagerPayloadSchema = z.looseObject({
  version: z.literal(ALERTMANAGER_PAYLOAD_VERSION),
  /** Stable for a route and its group labels: one incident per group key. */
  groupKey: z.string().min(1),
  /** Alerts left out by the receiver's `max_alerts`; absent before Alertmanager 0.22. */
  truncatedAlerts: z.int().min(0).default(0),
  /** `resolved` only when every alert of the group is; a partial resolve is `firing`. */
  status: alertStatus,
  receiver: z.string(),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: z.string(),
  alerts: z.array(alertSchema),
});
/** Alertmanager's webhook payload, version 4, as Firebreak reads it. */
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

export type ParsedAlertmanagerPayload =
  | { ok: true; payload: AlertmanagerPayload }
  | { ok: false; reason: string };

/** The value at an issue's path, to tell a missing field from a malformed one. */
function valueAt(body: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = body;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined)
    return `missing field ${path}`;
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** V8's message quotes the start of the body; only the position is kept, as the body may hold anything. */
function describeJsonError(err: unknown): string {
  const position = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  return position === undefined ? 'body is not JSON' : `body is not JSON (error at character ${position})`;
}

/**
 * Parses a webhook body. The reason of a rejection is one line a person can act on — the body is
 * not JSON, the version is not 4 (with the version sent), or a field is missing or malformed (with
 * its path, `alerts[0].startsAt`) — and never repeats the body, which may hold anything.
 */
export function parseAlertmanagerPayload(text: string): ParsedAlertmanagerPayload {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: text.trim() === '' ? 'body is empty' : describeJsonError(err) };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      reason: 'body is not a JSON object: expected Alertmanager webhook payload version 4',
    };
  }
  const version = (body as { version?: unknown }).version;
  if (version !== ALERTMANAGER_PAYLOAD_VERSION) {
    const sent = version === undefined ? 'no version' : `version ${JSON.stringify(version)}`;
    return {
      ok: false,
      reason: `${sent}: Firebreak reads Alertmanager webhook payload version ${ALERTMANAGER_PAYLOAD_VERSION}`,
    };
  }
  const result = alertmanagerPayloadSchema.safeParse(body);
  if (result.success) return { ok: true, payload: result.data };
  const [first, ...others] = result.error.issues;
  const more = others.length > 0 ? ` (and ${others.length} more)` : '';
  return {
    ok: false,
    reason: `invalid Alertmanager payload: ${first ? describeIssue(first, body) : 'unknown'}${more}`,
  };
}
