import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  combineHostReadings,
  type HostAnswer,
  noWorkerResult,
} from '../diagnostics/combine-host-readings.js';
import { errorMessage } from '../diagnostics/describe-error.js';
import { formatMs } from '../diagnostics/format-value.js';
import type { ProbeResult } from '../diagnostics/probe-result.js';
import type { RemoteProbes } from '../diagnostics/run-diagnosis.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import type { Logger } from '../logging/logger.js';
import { parseDuration } from '../runbooks/duration.js';
import { runbookDigest } from '../runbooks/runbook-digest.js';
import { parseProbeReply, probeChannel, replyChannel, signProbeRequest } from './probe-protocol.js';
import { liveFor, type WorkerRegistry } from './worker-registry.js';

/**
 * How long past a probe's own timeout the bot still waits for answers: a worker runs the probe under
 * that same timeout, and its "timed out after 5 s" should arrive before the bot gives up on it.
 */
export const REPLY_GRACE_MS = 500;

interface Pending {
  answers: Map<string, { name: string; result: ProbeResult }>;
  expected: ReadonlySet<string>;
  settle(): void;
}

const answeredAll = (request: Pending) => [...request.expected].every((i) => request.answers.has(i));

export interface HostProbeClient {
  run: RemoteProbes;
  close(): Promise<void>;
}

/**
 * The bot's side of probes with `on:`: it asks every live worker of the probe's role at once and
 * waits until each answered or the probe's timeout passed. A role without a live worker is an
 * `unknown` row with the fix; a worker that does not answer in time is an `unknown` line of its own.
 * Never throws, never waits past the timeout.
 */
export function createHostProbeClient(options: {
  redis: Redis;
  prefix: string;
  registry: WorkerRegistry;
  signer: ApprovalSigner;
  log: Logger;
}): HostProbeClient {
  const { redis, prefix, registry, signer, log } = options;
  const asker = `bot-${randomBytes(6).toString('hex')}`;
  const channel = replyChannel(prefix, asker);
  const pending = new Map<string, Pending>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;

  // One subscription for every answer to this process, opened on the first probe with `on:`.
  const subscribe = () => {
    subscribed ??= (async () => {
      subscriber = redis.duplicate();
      subscriber.on('error', (err) =>
        log.debug({ err: { message: err.message } }, 'probe replies connection error'),
      );
      subscriber.on('message', (_channel: string, text: string) => {
        const reply = parseProbeReply(text);
        if (!reply) return log.warn('ignored a malformed probe answer');
        const request = pending.get(reply.id);
        if (!request) return;
        request.answers.set(reply.instance, { name: reply.name, result: reply.result });
        if (answeredAll(request)) request.settle();
      });
      await subscriber.subscribe(channel);
    })().catch((err) => {
      subscribed = undefined;
      throw err;
    });
    return subscribed;
  };

  const run: RemoteProbes = async (probe, runbook, signal) => {
    const started = performance.now();
    const role = probe.on as string;
    const elapsed = () => performance.now() - started;
    const timeoutMs = parseDuration(probe.timeout);
    let targets: ReturnType<typeof liveFor>;
    try {
      targets = liveFor((await registry.list()).workers, role);
    } catch (err) {
      return {
        ...noWorkerResult(probe, role, elapsed()),
        detail: `could not read the worker registry: ${errorMessage(err)}`,
      };
    }
    if (targets.length === 0) return noWorkerResult(probe, role, elapsed());

    const id = randomBytes(9).toString('hex');
    const request: Pending = {
      answers: new Map(),
      expected: new Set(targets.map((t) => t.instance)),
      settle: () => {},
    };
    pending.set(id, request);
    let failure: string | undefined;
    try {
      await subscribe();
      const message = signProbeRequest(signer, {
        v: 1,
        id,
        kind: runbook.kind,
        probe: probe.id,
        role,
        runbook: runbookDigest(runbook),
        replyTo: channel,
      });
      await redis.publish(probeChannel(prefix, role), JSON.stringify(message));
      const waitMs = Math.max(0, timeoutMs + REPLY_GRACE_MS - elapsed());
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        signal?.addEventListener('abort', done, { once: true });
        request.settle = done;
        if (signal?.aborted || answeredAll(request)) done();
      });
    } catch (err) {
      failure = `could not reach the workers: ${errorMessage(err)}`;
    } finally {
      pending.delete(id);
    }
    const missing = signal?.aborted
      ? 'cancelled before it answered'
      : (failure ?? `no answer within ${formatMs(timeoutMs)}`);
    const answers: HostAnswer[] = targets.map((target) => {
      const answer = request.answers.get(target.instance);
      return answer ? { host: target.name, result: answer.result } : { host: target.name, missing };
    });
    // A worker that registered after the list was read and answered anyway is a host of the role too.
    for (const [instance, answer] of request.answers) {
      if (!request.expected.has(instance)) answers.push({ host: answer.name, result: answer.result });
    }
    return combineHostReadings(probe, answers, elapsed());
  };

  return {
    run,
    async close() {
      for (const request of pending.values()) request.settle();
      subscriber?.disconnect();
    },
  };
}
