import type { Step, StepExpectation, StepType } from '../runbooks/runbook-schema.js';
import { unmetExpectation } from './check-expectation.js';
import { describeStep } from './describe-step.js';
import { httpExecutor } from './http-executor.js';
import { manualExecutor } from './manual-executor.js';
import { processExecutor } from './process-executor.js';
import { redactSecrets } from './redact-secrets.js';
import { redisExecutor } from './redis-executor.js';
import { abortSummary, errorMessage, MAX_EXCERPT, truncate } from './result-text.js';
import { createSequenceExecutor } from './sequence-executor.js';
import type {
  ExecutionContext,
  ExecutionResult,
  ExecutorRegistry,
  Observed,
  StepExecutor,
  StepOf,
  StepOutcome,
} from './step-executor.js';
import { stepSecrets } from './step-secrets.js';
import { waitExecutor } from './wait-executor.js';

export { describeStep } from './describe-step.js';
export type { ExecutionContext, ExecutionResult, StepExecutor } from './step-executor.js';

/** A summary is one line in a Slack message, not a log. */
const MAX_SUMMARY = 300;

/** One executor per step kind; a new kind (Kubernetes API, ssh) is one entry here. */
export const executors: ExecutorRegistry = {
  http: httpExecutor,
  redis: redisExecutor,
  process: processExecutor,
  wait: waitExecutor,
  manual: manualExecutor,
  sequence: createSequenceExecutor((step, ctx) => executeStep(step, ctx)),
};

function dispatch<K extends StepType>(step: StepOf<K>, ctx: ExecutionContext): Promise<StepOutcome> {
  // The registry's mapped type guarantees executors[step.type] takes this very kind of step.
  return (executors[step.type] as StepExecutor<K>).execute(step, ctx);
}

/** Steps that change nothing by themselves: one cut mid-way left nothing in an unknown state. */
const HARMLESS: ReadonlySet<StepType> = new Set(['wait', 'manual']);

/**
 * Executes one approved action's step and says what happened. Never throws: a refusal, an unset
 * variable, a network error or an abort all become a failed result. When `ctx.signal` aborts, the
 * request, connection or child process is stopped, the summary is `cancelled` (or `deadline
 * exceeded` when the abort reason says so; see {@link abortSummary}) and `progress` says how far it
 * got. A step with `expect:` fails when its result does not meet it, saying what was found. Every
 * summary and excerpt is redacted with `ctx.secrets` plus the values this step reads into its
 * headers or its Redis URL's password.
 */
export async function executeStep(step: Step, ctx: ExecutionContext): Promise<ExecutionResult> {
  return (await observeStep(step, ctx)).result;
}

/**
 * {@link executeStep}, also handing back what the step saw (status, body, reply, output), unredacted:
 * for `capture:` only, which keeps a value only once it is sure no secret is in it.
 */
export async function observeStep(
  step: Step,
  ctx: ExecutionContext,
): Promise<{ result: ExecutionResult; observed?: Observed }> {
  const description = describeStep(step);
  const log = ctx.log.child({ step: description });
  const started = performance.now();
  log.debug('step started');
  let raw: StepOutcome;
  // Aborted before it began: nothing of it ran, so nothing of it is in an unknown state.
  const began = !ctx.signal.aborted;
  try {
    raw = began
      ? await dispatch(step, ctx)
      : { outcome: 'failed', summary: abortSummary(ctx.signal), excerpt: '' };
  } catch (error) {
    raw = { outcome: 'failed', summary: errorMessage(error), excerpt: '' };
  }
  // A step that finished before the abort took effect did its work: report it as it happened.
  if (raw.outcome === 'failed' && ctx.signal.aborted && step.type !== 'sequence') {
    const cut = began && !HARMLESS.has(step.type);
    raw = {
      ...raw,
      summary: abortSummary(ctx.signal),
      progress: { done: 0, total: 1, ...(cut ? { cut: description } : {}) },
    };
  } else if (step.type !== 'sequence' && 'expect' in step && step.expect) {
    raw = await expectationMet(step.expect, raw, ctx);
  }
  const secrets = [...ctx.secrets, ...stepSecrets(step, ctx.vars)];
  const summaryText = redactSecrets(raw.summary.replace(/\s*\n\s*/g, ' '), secrets);
  const result: ExecutionResult = {
    outcome: raw.outcome,
    summary: truncate(summaryText, MAX_SUMMARY),
    excerpt: truncate(redactSecrets(raw.excerpt, secrets), MAX_EXCERPT, raw.keep),
    durationMs: Math.round(performance.now() - started),
  };
  if (raw.steps) result.steps = raw.steps;
  if (raw.progress) result.progress = raw.progress;
  log.info(
    { outcome: result.outcome, durationMs: result.durationMs, summary: result.summary },
    'step finished',
  );
  return raw.observed ? { result, observed: raw.observed } : { result };
}

/**
 * A step with `expect:` succeeds only when its result meets it; an expected HTTP status other than
 * 2xx (a 409 that means "already done") makes that answer a success.
 */
async function expectationMet(
  expect: StepExpectation,
  raw: StepOutcome,
  ctx: ExecutionContext,
): Promise<StepOutcome> {
  const answered = raw.observed?.status !== undefined || raw.outcome === 'succeeded';
  if (!answered) return raw;
  if (raw.outcome === 'failed' && expect.status === undefined) return raw;
  const unmet = await unmetExpectation(expect, raw.observed, ctx);
  return unmet
    ? { ...raw, outcome: 'failed', summary: `${raw.summary}; ${unmet}` }
    : { ...raw, outcome: 'succeeded' };
}
