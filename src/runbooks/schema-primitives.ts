import { z } from 'zod';

/** Building blocks shared by the runbook format's parts (see runbook-schema.ts). */

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
  error: 'a lowercase id of a-z, 0-9 and "-" (e.g. "p1-emergency-rate-limit")',
});

/** `500ms`, `30s`, `2m`, `1h`. */
export const durationSchema = z
  .string()
  .regex(/^\d+(?:ms|s|m|h)$/, { error: 'a duration like "500ms", "30s", "2m" or "1h"' });

/**
 * A host role: which machines of the stack a probe or action is about (`generation`, `project`). A
 * worker serves roles (`npm run worker -- --role generation`); see docs/architecture.md.
 */
export const hostRoleSchema = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
  error: 'a host role: a short lowercase name such as "generation" (a-z, 0-9, "-")',
});

/**
 * Where an action runs: `generation` (one live worker of that role) or `{ role: generation, each:
 * true }` (every live worker of that role, one after the other). Without `on:` it runs where actions
 * without a role run: the bot's executor or a `npm run worker` without `--role`.
 */
export const actionPlacementSchema = z.union([
  hostRoleSchema,
  z.strictObject({
    role: hostRoleSchema,
    /** Run on every live worker of the role in turn (a restart of each instance); the first failure stops. */
    each: z.boolean().default(false),
  }),
]);

export const comparison = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export type Comparison = z.infer<typeof comparison>;

export const verdicts = ['ok', 'warn', 'critical', 'unknown'] as const;
export type Verdict = (typeof verdicts)[number];

/** A probe result compared with a number (`value`) or its verdict. `field` names one of a probe's extra values. */
export const probeCondition = z.union([
  z.strictObject({
    probe: slug,
    field: z.string().optional(),
    op: comparison,
    value: z.number(),
  }),
  z.strictObject({ probe: slug, verdict: z.array(z.enum(verdicts)).min(1) }),
]);

export type Condition = z.infer<typeof probeCondition> | { all: Condition[] } | { any: Condition[] };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    probeCondition,
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
  ]),
);

export const httpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
export const headers = z.record(z.string(), z.string());
