import type { Redis } from 'ioredis';
import type { ProbeResult } from '../diagnostics/probe-result.js';
import { type ProbeContext, runProbe } from '../diagnostics/run-probe.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';
import type { WorkerInfo } from '../incidents/worker-fleet.js';
import type { Logger } from '../logging/logger.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { runbookDigest } from '../runbooks/runbook-digest.js';
import {
  type ProbeReply,
  type ProbeRequest,
  probeChannel,
  probeRequestSchema,
  verifyProbeRequest,
} from './probe-protocol.js';

/** Probes this worker runs at once; past it a request is answered "busy" rather than queued behind the others. */
const MAX_IN_FLIGHT = 32;

export interface HostProbeServer {
  close(): Promise<void>;
}

/** A row for a request this worker will not measure, with the reason as its detail. */
function refusal(request: ProbeRequest, detail: string): ProbeResult {
  return { probeId: request.probe, title: request.probe, verdict: 'unknown', detail, durationMs: 0 };
}

/**
 * The worker's side of probes with `on:`: it listens on its roles' channels, checks that the bot
 * signed the request, and runs the probe of that id from its own runbook — never anything the
 * request describes — with this host's /proc root, allow-list and files. A request signed with
 * another key is dropped (and logged); a runbook that differs from the bot's is answered with the
 * mismatch instead of a measurement.
 */
export async function serveHostProbes(options: {
  redis: Redis;
  prefix: string;
  self: WorkerInfo;
  runbooks: RunbookCatalog;
  signer: ApprovalSigner;
  /** vars, allowedPrograms, procRoot… of this host. */
  context: Omit<ProbeContext, 'signal' | 'logPatterns'>;
  log: Logger;
}): Promise<HostProbeServer> {
  const { redis, prefix, self, runbooks, signer, log } = options;
  const subscriber = redis.duplicate();
  subscriber.on('error', (err) =>
    log.debug({ err: { message: err.message } }, 'probe requests connection error'),
  );
  const closing = new AbortController();
  let inFlight = 0;

  const measure = async (request: ProbeRequest): Promise<ProbeResult> => {
    const runbook = runbooks.get(request.kind);
    if (!runbook)
      return refusal(request, `${self.name} has no ${request.kind} runbook: deploy the same commands/ there`);
    const mine = runbookDigest(runbook);
    if (mine !== request.runbook) {
      return refusal(
        request,
        `${self.name} has a different ${request.kind} runbook (${mine}, the bot's is ${request.runbook}): deploy the same commands/ there`,
      );
    }
    const probe = runbook.probes.find((p) => p.id === request.probe);
    if (!probe || probe.on !== request.role) {
      return refusal(request, `${self.name} has no probe ${request.probe} for role ${request.role}`);
    }
    if (inFlight >= MAX_IN_FLIGHT) return refusal(request, `${self.name} is busy with ${inFlight} probes`);
    inFlight++;
    try {
      return await runProbe(probe, {
        ...options.context,
        signal: closing.signal,
        logPatterns: runbook.triggers.logPatterns,
      });
    } finally {
      inFlight--;
    }
  };

  subscriber.on('message', (_channel: string, text: string) => {
    let request: ProbeRequest;
    try {
      request = probeRequestSchema.parse(JSON.parse(text));
    } catch {
      return log.warn('ignored a malformed probe request');
    }
    if (!verifyProbeRequest(signer, request)) {
      return log.warn(
        { probe: request.probe, kind: request.kind },
        'refused a probe request the bot did not sign (is APPROVAL_SIGNING_KEY the same as the bot’s?)',
      );
    }
    if (!self.roles.includes(request.role)) return;
    void measure(request)
      .then((result) => {
        const reply: ProbeReply = { id: request.id, instance: self.instance, name: self.name, result };
        return redis.publish(request.replyTo, JSON.stringify(reply));
      })
      .catch((err) => log.warn({ err, probe: request.probe }, 'could not answer a probe request'));
  });
  if (self.roles.length > 0)
    await subscriber.subscribe(...self.roles.map((role) => probeChannel(prefix, role)));

  return {
    async close() {
      closing.abort(new Error('the worker is stopping'));
      subscriber.disconnect();
    },
  };
}
