import type { Step, StepType } from '../runbooks/runbook-schema.js';
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

/**
 * Executes one approved action's step and says what happened. Never throws: a refusal, an unset
 * variable, a network error or an abort all become a failed result. When `ctx.signal` aborts, the
 * request, connection or child process is stopped and the summary is `cancelled` (or
 * `deadline exceeded` when the abort reason says so; see {@link abortSummary}). Every summary and
 * excerpt is redacted with `ctx.secrets` plus the values this step reads into its headers or its
 * Redis URL's password.
 */
export async function executeStep(step: Step, ctx: ExecutionContext): Promise<ExecutionResult> {
  const description = describeStep(step);
  const log = ctx.log.child({ step: description });
  const started = performance.now();
  log.debug('step started');
  let raw: StepOutcome;
  try {
    raw = ctx.signal.aborted
      ? { outcome: 'failed', summary: abortSummary(ctx.signal), excerpt: '' }
      : await dispatch(step, ctx);
  } catch (error) {
    raw = { outcome: 'failed', summary: errorMessage(error), excerpt: '' };
  }
  // A step that finished before the abort took effect did its work: report it as it happened.
  if (raw.outcome === 'failed' && ctx.signal.aborted && step.type !== 'sequence') {
    raw = { ...raw, summary: abortSummary(ctx.signal) };
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
  log.info(
    { outcome: result.outcome, durationMs: result.durationMs, summary: result.summary },
    'step finished',
  );
  return result;
}
