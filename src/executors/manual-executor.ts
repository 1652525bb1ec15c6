import type { StepExecutor } from './step-executor.js';

/**
 * A step a person does by hand (edit `/etc/sysctl.conf`, switch the fallback model). It succeeds
 * at once: the approval that dispatched it is the record of who did it.
 */
export const manualExecutor: StepExecutor<'manual'> = {
  async execute(step) {
    return { outcome: 'succeeded', summary: 'manual step recorded as done', excerpt: step.instructions };
  },
};
