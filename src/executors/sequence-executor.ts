import type { Step } from '../runbooks/runbook-schema.js';
import { describeStep } from './describe-step.js';
import { abortSummary } from './result-text.js';
import type { ExecutionContext, ExecutionResult, StepExecutor } from './step-executor.js';

/** Runs one step with redaction and logging; injected so this file does not import its own caller. */
export type RunStep = (step: Step, ctx: ExecutionContext) => Promise<ExecutionResult>;

/**
 * An ordered sequence (restart the project service, wait 30 s, restart the generation service…).
 * The first failure stops it: restarting the next service while the previous one is down would
 * turn a degraded stack into an outage. An abort stops the running step and skips the rest.
 */
export function createSequenceExecutor(runStep: RunStep): StepExecutor<'sequence'> {
  return {
    async execute(step, ctx) {
      const total = step.steps.length;
      const results: ExecutionResult[] = [];
      for (const [index, child] of step.steps.entries()) {
        const position = `step ${index + 1}/${total}`;
        if (ctx.signal.aborted) {
          return {
            outcome: 'failed',
            summary: abortSummary(ctx.signal),
            excerpt: `stopped before ${position}`,
            steps: results,
            progress: { done: index, total },
          };
        }
        ctx.onStep?.(index, total, describeStep(child));
        const result = await runStep(child, ctx);
        results.push(result);
        if (result.outcome === 'failed' && ctx.signal.aborted) {
          const excerpt = `stopped during ${position}: ${describeStep(child)}`;
          // The child's own progress says whether it was cut mid-way (a wait was not: it changed nothing).
          const cut = result.progress?.cut;
          const progress = { done: index, total, ...(cut ? { cut: `${position} (${cut})` } : {}) };
          return { outcome: 'failed', summary: abortSummary(ctx.signal), excerpt, steps: results, progress };
        }
        if (result.outcome === 'failed') {
          return {
            outcome: 'failed',
            summary: `${position} failed: ${result.summary}`,
            excerpt: result.excerpt,
            steps: results,
          };
        }
      }
      return {
        outcome: 'succeeded',
        summary: `${total} steps succeeded`,
        excerpt: results.map((result, i) => `${i + 1}. ${result.summary}`).join('\n'),
        steps: results,
      };
    },
  };
}
