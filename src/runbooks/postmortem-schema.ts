import { z } from 'zod';
import { durationSchema } from './schema-primitives.js';

/** The runbook format (runbook-schema.ts): the runbook's `postmortem` block. */

/** The moments of an incident the postmortem can fill in from what Firebreak recorded. */
export const postmortemMilestones = [
  'occurred',
  'alerted',
  'response-started',
  'actions',
  'recovered',
  'resolved',
] as const;
export type PostmortemMilestone = (typeof postmortemMilestones)[number];

/** What a why's evidence may name besides probe ids: what was found, done and checked. */
export const whyEvidenceSources = ['scenarios', 'actions', 'checklist', 'detection'] as const;

export const postmortemSchema = z.strictObject({
  /** A plain line is a moment people fill in; `milestone` binds it to the time Firebreak recorded. */
  timeline: z
    .array(
      z.union([z.string(), z.strictObject({ milestone: z.enum(postmortemMilestones), title: z.string() })]),
    )
    .min(1),
  impactQueries: z
    .array(
      z.strictObject({
        title: z.string(),
        promql: z.string().optional(),
        sql: z.string().optional(),
      }),
    )
    .default([]),
  /**
   * A plain question, or one with the `evidence` that bears on it: probe ids (their diagnosis and
   * checklist lines), `scenarios`, `actions`, `checklist`, `detection` (occurred → alerted).
   */
  fiveWhys: z
    .array(
      z.union([
        z.string(),
        z.strictObject({ question: z.string(), evidence: z.array(z.string()).default([]) }),
      ]),
    )
    .default([]),
  prevention: z.array(z.string()).default([]),
  /** Where the impact's PromQL runs. Without it, the impact has no Prometheus numbers. */
  prometheus: z.string().optional(),
  /**
   * The error rate over time: its peak in the window is the impact's peak rate, and without an alert's
   * `startsAt` the incident "occurred" when it first rose above `riseAbove`, looking back `lookback`.
   */
  errorRate: z
    .strictObject({
      promql: z.string(),
      riseAbove: z.number().default(0),
      lookback: durationSchema.default('2h'),
    })
    .optional(),
  /**
   * The database the `sql` impact queries read, opened read-only; an empty path (`${VAR:-}` unset)
   * means none is configured. `timestamps`: how its rows store time — `sqlite` (`2026-11-25 10:03:00`,
   * UTC), `iso` (`2026-11-25T10:03:00.000Z`), `unix` (seconds) or `unix-ms`.
   */
  database: z
    .strictObject({
      sqlite: z.string(),
      timestamps: z.enum(['sqlite', 'iso', 'unix', 'unix-ms']).default('sqlite'),
    })
    .optional(),
});
export type Postmortem = z.infer<typeof postmortemSchema>;
