import { parseDuration } from '../runbooks/duration.js';
import { formatDuration } from './result-text.js';
import type { StepExecutor } from './step-executor.js';

/** A timer that rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The runbook's `sleep 30` between ordered restarts: lets the first service come up before the next goes down. */
export const waitExecutor: StepExecutor<'wait'> = {
  async execute(step, ctx) {
    const ms = parseDuration(step.duration);
    await (ctx.sleep ?? abortableSleep)(ms, ctx.signal);
    return { outcome: 'succeeded', summary: `waited ${formatDuration(ms)}`, excerpt: '' };
  },
};
