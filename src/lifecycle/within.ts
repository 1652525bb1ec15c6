/**
 * Resolves with `promise`, or with `undefined` after `ms` — for shutdown steps that must not hang
 * (a worker waiting on a Redis that is gone, a job that outlives the grace period).
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
