import type { FakeFailure, LostAnswer } from './fake-slack-types.js';

/** Matches every Web API method in `failFor`. */
export const ALL_METHODS = '*';

interface FailureWindow {
  method: string;
  failure: FakeFailure;
  until: number;
}

/**
 * The faults a test asked for, consulted once per Web API call: failures replace the call (nothing
 * happens), lost answers follow it (the work is done, the answer never arrives intact).
 */
export class FaultPlan {
  private readonly next = new Map<string, FakeFailure[]>();
  private readonly windows: FailureWindow[] = [];
  private readonly losses = new Map<string, LostAnswer[]>();

  failNext(method: string, failure: FakeFailure, times: number): void {
    const queue = this.next.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.next.set(method, queue);
  }

  failFor(method: string, failure: FakeFailure, durationMs: number, now = Date.now()): void {
    if (!(durationMs > 0)) throw new Error(`failFor: durationMs must be positive, got ${durationMs}`);
    this.windows.push({ method, failure, until: now + durationMs });
  }

  loseAnswerNext(method: string, loss: LostAnswer & { times?: number }): void {
    const { times = 1, ...rest } = loss;
    if (rest.mode === 'status' && !(rest.status >= 400 && rest.status <= 599))
      throw new Error(`loseAnswerNext: status must be an HTTP error (4xx/5xx), got ${rest.status}`);
    const queue = this.losses.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(rest as LostAnswer);
    this.losses.set(method, queue);
  }

  /** The failure that replaces this call: a queued `failNext` first, then the latest open window. */
  failureFor(method: string, now = Date.now()): FakeFailure | undefined {
    const queued = this.next.get(method)?.shift();
    if (queued) return queued;
    for (let i = this.windows.length - 1; i >= 0; i -= 1) {
      const w = this.windows[i];
      if (!w) continue;
      if (w.until <= now) this.windows.splice(i, 1);
      else if (w.method === method || w.method === ALL_METHODS) return w.failure;
    }
    return undefined;
  }

  /** How the answer to this (performed) call is lost, if a test asked for it. */
  lossFor(method: string): LostAnswer | undefined {
    return this.losses.get(method)?.shift();
  }

  clear(): void {
    this.next.clear();
    this.windows.length = 0;
    this.losses.clear();
  }
}
