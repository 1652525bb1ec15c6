import { z } from 'zod';

/**
 * The runbook fields that say who may decide and what a change needs to be safe (approvers, the
 * two-person rule, targets, `undo: { none: … }`), kept apart from the step and probe schemas they
 * sit next to in `runbook-schema.ts`.
 */

/**
 * One approver: a person by the id their surface gives them (a Slack user id, `U012ABCDEF`), or a
 * group of people (`{ group: S0SRELEADS }`, a Slack user group) that the surface resolves.
 */
export const approverSchema = z.union([
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'a user id such as U012ABCDEF' }),
  z.strictObject({
    group: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'a group id such as S012ABCDEF' }),
  }),
]);
export type ApproverEntry = z.infer<typeof approverSchema>;

/** Who may approve, skip and cancel (and, at the runbook level, force-resolve). */
export const approversSchema = z.array(approverSchema).min(1, { error: 'at least one approver' });

/** How many different people must approve: 1 to 5. */
export const approvalsSchema = z.int().min(1).max(5, { error: 'between 1 and 5 approvals' });

/** The runbook's defaults; `INCIDENT_APPROVERS` and its siblings apply where this says nothing. */
export const policySchema = z.strictObject({
  /** Who decides for this runbook's incidents, unless a group or an action names others. */
  approvers: approversSchema.optional(),
  destructive: z
    .strictObject({
      /** Approvals a `destructive: true` action needs. @defaultValue INCIDENT_DESTRUCTIVE_APPROVALS (2) */
      approvals: approvalsSchema.optional(),
      /** The incident's requester cannot be the only approver of a destructive action. @defaultValue true */
      requesterRule: z.boolean().optional(),
    })
    .optional(),
});
export type RunbookPolicy = z.infer<typeof policySchema>;

/** What an action changes, for "one action per target at a time": `generation-service`, `localhost:8002`. */
const targetName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, { error: 'a lowercase name such as "generation-service"' });
export const targetSchema = z.union([targetName, z.array(targetName).min(1)]);

/**
 * An action without an undo says why (`undo: { none: "a restart has no inverse…" }`): a test walks
 * every runbook and refuses a state-changing action that has neither.
 */
export const noUndoSchema = z.strictObject({
  none: z.string().trim().min(10, { error: 'say in a sentence why this action has no undo' }),
});

/** Names of the values a `capture` stores: the undo reads them as `${PREVIOUS_MAXMEMORY}`. */
export const captureName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, { error: 'an upper-case variable name such as PREVIOUS_MAXMEMORY' });
