/** A signal that aborts when the caller's does or when the step's own timeout passes. */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  /** True when the step's timeout fired (not the caller's cancel): the summary says "timed out". */
  timedOut(): boolean;
  /** Clears the timer and the listener; call it in `finally`. */
  dispose(): void;
}

/**
 * Combines the job's signal with a step timeout. Written out rather than `AbortSignal.any`, which
 * keeps listeners on a long-lived parent signal in Node 20 and cannot tell which source fired.
 */
export function deadlineSignal(parent: AbortSignal, timeoutMs: number): DeadlineSignal {
  const controller = new AbortController();
  let expired = false;
  const onAbort = () => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    if (controller.signal.aborted) return;
    expired = true;
    controller.abort(new DOMException(`step timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
