import { z } from 'zod';
import { parseLabelMatcher } from './label-matcher.js';
import {
  approvalsSchema,
  approversSchema,
  captureName,
  noUndoSchema,
  policySchema,
  targetSchema,
} from './safety-schema.js';

/**
 * The runbook format: the single source of truth for `commands/*.yaml`. TypeScript types are
 * inferred from it and `commands/runbook.schema.json` is generated from it (`npm run schema`).
 *
 * Every string may hold `${VAR}` or `${VAR:-default}`; interpolation happens when a probe or an
 * action runs (see interpolate.ts), never at load, so a secret such as `${ADMIN_TOKEN}` is read
 * from the environment by the executor that needs it and is never copied anywhere else.
 */

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
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
const actionPlacementSchema = z.union([
  hostRoleSchema,
  z.strictObject({
    role: hostRoleSchema,
    /** Run on every live worker of the role in turn (a restart of each instance); the first failure stops. */
    each: z.boolean().default(false),
  }),
]);

const comparison = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export type Comparison = z.infer<typeof comparison>;

export const verdicts = ['ok', 'warn', 'critical', 'unknown'] as const;
export type Verdict = (typeof verdicts)[number];

/** A probe result compared with a number (`value`) or its verdict. `field` names one of a probe's extra values. */
const probeCondition = z.union([
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

const httpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const headers = z.record(z.string(), z.string());

// ---------- probes (diagnosis steps 1-4 and the recovery checklist) ----------

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

// ---------- executor steps ----------

/**
 * A step checking its own result: the staged release stops when its breaker test says the upstream
 * is still down. `json.path` is dotted (`probe.upstream_healthy`; numbers index arrays: `1`) into the
 * JSON body, the Redis reply or the program's output; `condition` re-runs the probes it reads.
 */
const jsonExpectation = z.strictObject({
  path: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
const stepExpectation = z.strictObject({
  json: jsonExpectation.optional(),
  condition: conditionSchema.optional(),
});
const httpExpectation = stepExpectation.extend({
  /** The answer's HTTP status (any 2xx passes without it). */
  status: z.union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)]).optional(),
});
export type StepExpectation = z.infer<typeof httpExpectation>;

const httpStep = z.strictObject({
  type: z.literal('http'),
  method: httpMethod,
  url: z.string(),
  headers: headers.optional(),
  /** JSON body, sent as application/json. */
  body: z.unknown().optional(),
  timeout: durationSchema.default('10s'),
  expect: httpExpectation.optional(),
});

const redisStep = z.strictObject({
  type: z.literal('redis'),
  url: z.string(),
  db: z.number().int().min(0).max(15).optional(),
  command: z.array(z.string()).min(1),
  timeout: durationSchema.default('5s'),
  expect: stepExpectation.optional(),
});

const processStep = z.strictObject({
  type: z.literal('process'),
  /** argv, run without a shell; the worker refuses programs not in EXECUTOR_ALLOWED_PROGRAMS. */
  command: z.array(z.string()).min(1),
  timeout: durationSchema.default('60s'),
  expect: stepExpectation.optional(),
});

const waitStep = z.strictObject({ type: z.literal('wait'), duration: durationSchema });

const manualStep = z.strictObject({
  type: z.literal('manual'),
  /** What a person does by hand; Firebreak records who marked it done. */
  instructions: z.string().min(1),
});

const simpleStep = z.discriminatedUnion('type', [httpStep, redisStep, processStep, waitStep, manualStep]);

const sequenceStep = z.strictObject({
  type: z.literal('sequence'),
  /** Run in order; the first failure stops the sequence. */
  steps: z.array(simpleStep).min(1),
});

export const stepSchema = z.discriminatedUnion('type', [
  httpStep,
  redisStep,
  processStep,
  waitStep,
  manualStep,
  sequenceStep,
]);
export type Step = z.infer<typeof stepSchema>;
export type SimpleStep = z.infer<typeof simpleStep>;
export type StepType = Step['type'];

/**
 * How to read the state an action changes, before it runs, so that its undo restores what was
 * there (`CONFIG GET maxmemory` → `CONFIG SET maxmemory ${PREVIOUS_MAXMEMORY}`), not a guess.
 */
export const captureSchema = z.strictObject({
  /** The variable the undo reads. */
  as: captureName,
  /** A read-only step: its answer holds the value. */
  read: z.discriminatedUnion('type', [httpStep, redisStep, processStep]),
  /** Where the value is in the answer (dotted, as `expect.json.path`); without it, the whole answer trimmed. */
  path: z.string().min(1).optional(),
});
export type Capture = z.infer<typeof captureSchema>;

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

const postmortemSchema = z.strictObject({
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
