import { z } from 'zod';
import {
  comparison,
  durationSchema,
  headers,
  hostRoleSchema,
  httpMethod,
  slug,
} from './schema-primitives.js';

/** The runbook format (runbook-schema.ts): probes — diagnosis steps 1-4 and the recovery checklist. */

const httpProbe = z.strictObject({
  type: z.literal('http'),
  url: z.string(),
  method: httpMethod.default('GET'),
  headers: headers.optional(),
  /** What the probe's value is: the response time in ms, or a number read from the JSON body. */
  measure: z.enum(['latency', 'json']).default('latency'),
  /** With `measure: json`: a dotted path into the body; `.length` counts an array (`data.length`). */
  jsonPath: z.string().optional(),
  /**
   * With `measure: json`: turns a string read at `jsonPath` into a number, for APIs that answer
   * words (a status page's `status.indicator`: `none` 0, `minor` 1, `major` 2, `critical` 3). A
   * string missing from the map makes the verdict `unknown`.
   */
  valueMap: z.record(z.string(), z.number()).optional(),
});

const prometheusProbe = z.strictObject({
  type: z.literal('prometheus'),
  url: z.string(),
  query: z.string(),
});

const redisProbe = z.strictObject({
  type: z.literal('redis'),
  url: z.string(),
  /** `ping` measures the round trip in ms; otherwise a field of `INFO` such as `connected_clients`. */
  measure: z.string().default('ping'),
  /**
   * Another `INFO` field: the value becomes `measure / percentOf × 100` (`used_memory` as a share
   * of `maxmemory`). A zero divisor — `maxmemory 0` means no limit — makes the verdict `unknown`.
   */
  percentOf: z.string().optional(),
});

const hostProbe = z.strictObject({
  type: z.literal('host'),
  /** Read from /proc on the host that runs the probe. */
  metric: z.enum(['cpu', 'memory', 'disk-io', 'connections']),
});

const commandProbe = z.strictObject({
  type: z.literal('command'),
  /** argv, run without a shell; the program must be allow-listed on the runner. */
  command: z.array(z.string()).min(1),
  /** `lines` counts non-empty output lines; a regex takes its first capture group as the value. */
  measure: z.union([z.literal('lines'), z.strictObject({ regex: z.string() })]).default('lines'),
  /** Only lines matching this regex are counted (the seed's `| grep "\.db$" | wc -l`). */
  filter: z.string().optional(),
});

const logsProbe = z.strictObject({
  type: z.literal('logs'),
  file: z.string(),
  /** Counted in the last `tailLines` lines; defaults to the runbook's `triggers.logPatterns`. */
  patterns: z.array(z.string()).optional(),
  tailLines: z.number().int().positive().default(5000),
});

/**
 * The seed's `ab -n … -c …`. Its value is the 99th-percentile latency in ms; conditions read the
 * other numbers by `field`: `p99_ms`, `mean_ms`, `rps` (requests per second), `failed`.
 */
const loadTestProbe = z.strictObject({
  type: z.literal('loadtest'),
  url: z.string(),
  requests: z.number().int().positive().max(100_000),
  concurrency: z.number().int().positive().max(1000),
});

export const probeCheckSchema = z.discriminatedUnion('type', [
  httpProbe,
  prometheusProbe,
  redisProbe,
  hostProbe,
  commandProbe,
  logsProbe,
  loadTestProbe,
]);
export type ProbeCheck = z.infer<typeof probeCheckSchema>;

/** A verdict from a value: `critical` when `value op critical`, else `warn` when `value op warn`. */
export const thresholdSchema = z.strictObject({
  op: comparison.default('>='),
  warn: z.number().optional(),
  critical: z.number(),
  unit: z.string().optional(),
});
export type Threshold = z.infer<typeof thresholdSchema>;

export const probeSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  /** Diagnosis step (1-4) that runs it when the incident opens; probes without one serve the checklist. */
  step: z.number().int().min(1).max(9).optional(),
  check: probeCheckSchema,
  threshold: thresholdSchema.optional(),
  timeout: durationSchema.default('5s'),
  /**
   * The host role whose machines this probe reads: it is sent to every live worker of that role and
   * the snapshot shows one value per host. Without it the probe runs in the bot.
   */
  on: hostRoleSchema.optional(),
  /** The seed's shell command this probe replaces, kept for the reader and the coverage table. */
  source: z.string().optional(),
});
export type Probe = z.infer<typeof probeSchema>;
