import { z } from 'zod';
import { parseLabelMatcher } from './label-matcher.js';
import { postmortemSchema, whyEvidenceSources } from './postmortem-schema.js';
import { probeSchema } from './probe-schema.js';
import {
  approvalsSchema,
  approversSchema,
  noUndoSchema,
  policySchema,
  targetSchema,
} from './safety-schema.js';
import {
  actionPlacementSchema,
  type Condition,
  conditionSchema,
  durationSchema,
  slug,
} from './schema-primitives.js';
import { captureSchema, type Step, stepSchema } from './step-schema.js';

// The format's parts live in their own files; importers keep reading them from here.
export {
  type Postmortem,
  type PostmortemMilestone,
  postmortemMilestones,
  whyEvidenceSources,
} from './postmortem-schema.js';
export {
  type Probe,
  type ProbeCheck,
  probeCheckSchema,
  probeSchema,
  type Threshold,
  thresholdSchema,
} from './probe-schema.js';
export {
  type Comparison,
  type Condition,
  conditionSchema,
  durationSchema,
  hostRoleSchema,
  type Verdict,
  verdicts,
} from './schema-primitives.js';
export {
  type Capture,
  captureSchema,
  type SimpleStep,
  type Step,
  type StepExpectation,
  type StepType,
  stepSchema,
} from './step-schema.js';

/**
 * The runbook format: the single source of truth for `commands/*.yaml`. TypeScript types are
 * inferred from it and `commands/runbook.schema.json` is generated from it (`npm run schema`).
 *
 * Every string may hold `${VAR}` or `${VAR:-default}`; interpolation happens when a probe or an
 * action runs (see interpolate.ts), never at load, so a secret such as `${ADMIN_TOKEN}` is read
 * from the environment by the executor that needs it and is never copied anywhere else.
 */

// ---------- actions, their groups, scenarios ----------

export const groupSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'an id such as "P1" or "scaling"' }),
  title: z.string().min(1),
  /** How soon after the incident opens the group should be done (P1 30s, P2 2m, P3 5m). */
  deadline: durationSchema.optional(),
  /** A group of root-cause actions: offered with the scenario's verdict. */
  scenario: slug.optional(),
  /** `after-recovery` groups are the normalization steps (undo). */
  offer: z.enum(['immediately', 'after-recovery']).default('immediately'),
  /** Who decides this group's actions (a priority's own on-call, say), unless an action names others. */
  approvers: approversSchema.optional(),
});
export type ActionGroup = z.infer<typeof groupSchema>;

export const actionSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  group: z.string(),
  description: z.string().optional(),
  /** Restarts, flushes, deletions, forced health: needs the policy's approvals (two people by default). */
  destructive: z.boolean().default(false),
  /**
   * Runbook guard (e.g. memory > 85 %): checked at approval time against a fresh run of the probes
   * it reads; a failing guard refuses unless an approver overrides it with a reason.
   */
  when: conditionSchema.optional(),
  /** Who may approve, skip and cancel this action. @defaultValue the group's, the runbook's, INCIDENT_APPROVERS */
  approvers: approversSchema.optional(),
  /** Different people who must approve before it runs. @defaultValue 1, or the policy's for destructive actions */
  approvals: approvalsSchema.optional(),
  /** What it changes; one action per target runs at a time. @defaultValue derived from its URLs, units and programs */
  target: targetSchema.optional(),
  /** Read before running, so the undo restores the old value. */
  capture: z.array(captureSchema).min(1).optional(),
  /** Only report what it would do, fully resolved, never do it. */
  dryRun: z.boolean().optional(),
  run: stepSchema,
  /** The host role it runs on (see {@link actionPlacementSchema}); without it, where it runs today. */
  on: actionPlacementSchema.optional(),
  /**
   * The action that reverses this one, from an after-recovery group (offered once this one has
   * succeeded), or `{ none: <why> }` when nothing can or should reverse it.
   */
  undo: z.union([slug, noUndoSchema]).optional(),
  /** The seed's shell command(s) this action replaces, for the reader and the coverage table. */
  source: z.string().optional(),
});
export type Action = z.infer<typeof actionSchema>;

export const scenarioSchema = z.strictObject({
  id: slug,
  number: z.number().int().positive(),
  title: z.string().min(1),
  detect: conditionSchema,
  /** Probes that diagnose this scenario further (the seed's `htop`, `lsof`, `ss -s`). */
  probes: z.array(slug).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;

// ---------- triggers, monitoring, checklist, postmortem ----------

const alertRule = z.strictObject({
  alert: z.string().min(1),
  expr: z.string().min(1),
  for: durationSchema.optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});
/** A Prometheus alerting rule as a runbook declares it (`triggers.alerts`, `monitoring.alertRules`). */
export type AlertRule = z.infer<typeof alertRule>;

/**
 * A trigger is a rule plus, optionally, the label matchers an alert must also satisfy for this
 * runbook to claim it (`instance=~"gen-.*"`): the alert's name alone is not always enough when one
 * rule fires for several stacks. Matchers only decide the claim; the Prometheus rule is unchanged.
 */
const triggerAlert = alertRule.extend({
  matchers: z
    .array(
      z.string().superRefine((text, ctx) => {
        const parsed = parseLabelMatcher(text);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      }),
    )
    .optional(),
});
export type TriggerAlert = z.infer<typeof triggerAlert>;

export const checklistItemSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  /** Checked by this deadline after recovery (5m, 30m, 1h). */
  within: durationSchema,
  /** Evaluated from probe results; without it the item is a manual check a person ticks. */
  condition: conditionSchema.optional(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

const runbookObject = z.strictObject({
  $schema: z.string().optional(),
  /** What users type: `/incident 503`. */
  kind: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,19}$/, { error: 'a short lowercase word such as "503" (a-z, 0-9, "-")' }),
  title: z.string().min(1),
  summary: z.string().default(''),
  severity: z.enum(['critical', 'major', 'minor']).default('major'),
  /** Who decides, and what destructive actions need, for this runbook (defaults: the environment). */
  policy: policySchema.optional(),
  /** Every action of this runbook only reports what it would do. */
  dryRun: z.boolean().default(false),
  triggers: z
    .strictObject({
      alerts: z.array(triggerAlert).default([]),
      logPatterns: z.array(z.string()).default([]),
      symptoms: z.array(z.string()).default([]),
    })
    .default({ alerts: [], logPatterns: [], symptoms: [] }),
  probes: z.array(probeSchema).min(1),
  scenarios: z.array(scenarioSchema).default([]),
  groups: z.array(groupSchema).min(1),
  actions: z.array(actionSchema).min(1),
  checklist: z.array(checklistItemSchema).default([]),
  monitoring: z
    .strictObject({
      dashboards: z.array(z.strictObject({ title: z.string(), url: z.string() })).default([]),
      queries: z.array(z.strictObject({ title: z.string(), promql: z.string() })).default([]),
      alertRules: z.array(alertRule).default([]),
    })
    .default({ dashboards: [], queries: [], alertRules: [] }),
  postmortem: postmortemSchema.optional(),
  /**
   * Variables this runbook reads whose values are credentials, whatever their names
   * (`DB_PASS`, `SERVICE_AUTH`): never shown on cards or in logs, masked in every output. Names
   * with TOKEN, SECRET, PASS, KEY, CREDENTIAL or AUTH are secret without being listed.
   */
  secrets: z
    .array(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name such as DB_PASS' }),
    )
    .default([]),
});

export const runbookSchema = runbookObject.superRefine(checkReferences);
export type Runbook = z.infer<typeof runbookSchema>;

/** The id of the action that undoes `action`, if it names one (`undo: { none }` names none). */
export function undoIdOf(action: Pick<Action, 'undo'>): string | undefined {
  return typeof action.undo === 'string' ? action.undo : undefined;
}

/** Every probe a condition reads (for fresh guard runs and reference checks). */
export function conditionProbes(condition: Condition): Array<{ probe: string; field?: string | undefined }> {
  if ('all' in condition) return condition.all.flatMap(conditionProbes);
  if ('any' in condition) return condition.any.flatMap(conditionProbes);
  return [condition];
}

/** Cross-references a schema cannot express: unique ids and every id that points elsewhere. */
function checkReferences(runbook: z.output<typeof runbookObject>, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const unique = (items: ReadonlyArray<{ id: string }>, list: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) issue([list, i, 'id'], `duplicate id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const probes = unique(runbook.probes, 'probes');
  const groups = unique(runbook.groups, 'groups');
  const actions = unique(runbook.actions, 'actions');
  const scenarios = unique(runbook.scenarios, 'scenarios');
  unique(runbook.checklist, 'checklist');
  const known = (set: Set<string>) => [...set].join(', ');

  const checkCondition = (condition: Condition, path: PropertyKey[]) => {
    for (const ref of conditionProbes(condition)) {
      if (!probes.has(ref.probe)) issue(path, `unknown probe "${ref.probe}" (probes: ${known(probes)})`);
    }
  };
  runbook.groups.forEach((group, i) => {
    if (group.scenario && !scenarios.has(group.scenario)) {
      issue(
        ['groups', i, 'scenario'],
        `unknown scenario "${group.scenario}" (scenarios: ${known(scenarios)})`,
      );
    }
  });
  runbook.actions.forEach((action, i) => {
    if (!groups.has(action.group))
      issue(['actions', i, 'group'], `unknown group "${action.group}" (groups: ${known(groups)})`);
    const undo = undoIdOf(action);
    if (undo !== undefined && !actions.has(undo)) {
      issue(['actions', i, 'undo'], `unknown action "${undo}"`);
    }
    if (undo === action.id) issue(['actions', i, 'undo'], 'an action cannot undo itself');
    if (action.when) checkCondition(action.when, ['actions', i, 'when']);
    if (action.on !== undefined && action.run.type === 'manual') {
      issue(['actions', i, 'on'], 'a manual step runs on no host: remove `on:` (a person does it by hand)');
    }
    checkSteps(action.run, ['actions', i, 'run'], checkCondition);
    const names = new Set<string>();
    action.capture?.forEach((capture, j) => {
      if (names.has(capture.as))
        issue(['actions', i, 'capture', j, 'as'], `duplicate capture "${capture.as}"`);
      names.add(capture.as);
    });
  });
  runbook.scenarios.forEach((scenario, i) => {
    checkCondition(scenario.detect, ['scenarios', i, 'detect']);
    scenario.probes.forEach((probe, j) => {
      if (!probes.has(probe)) issue(['scenarios', i, 'probes', j], `unknown probe "${probe}"`);
    });
  });
  runbook.checklist.forEach((item, i) => {
    if (item.condition) checkCondition(item.condition, ['checklist', i, 'condition']);
  });
  const evidenceSources = new Set<string>(whyEvidenceSources);
  runbook.postmortem?.fiveWhys.forEach((why, i) => {
    if (typeof why === 'string') return;
    why.evidence.forEach((source, j) => {
      if (!probes.has(source) && !evidenceSources.has(source)) {
        issue(
          ['postmortem', 'fiveWhys', i, 'evidence', j],
          `unknown evidence "${source}" (a probe id, or one of ${whyEvidenceSources.join(', ')})`,
        );
      }
    });
  });
  const groupIds = new Set(runbook.actions.map((a) => a.group));
  runbook.groups.forEach((group, i) => {
    if (!groupIds.has(group.id)) issue(['groups', i], `group "${group.id}" has no actions`);
  });
}

/** Reference checks inside a step: the probes an `expect.condition` re-runs must exist. */
function checkSteps(
  step: Step,
  path: PropertyKey[],
  checkCondition: (condition: Condition, path: PropertyKey[]) => void,
): void {
  if (step.type === 'sequence') {
    step.steps.forEach((child, j) => {
      checkSteps(child, [...path, 'steps', j], checkCondition);
    });
    return;
  }
  if ('expect' in step && step.expect?.condition) {
    checkCondition(step.expect.condition, [...path, 'expect', 'condition']);
  }
}
