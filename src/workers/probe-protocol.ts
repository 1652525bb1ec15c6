import { z } from 'zod';
import type { ProbeResult } from '../diagnostics/probe-result.js';
import type { ApprovalSigner } from '../incidents/approval-signature.js';

/**
 * Probes with `on:` travel over Redis pub/sub, not a queue: a request is useful only until the
 * probe's timeout, so a worker that was down must not wake up to a backlog of stale ones, and one
 * PUBLISH reaches every worker of the role at once — the fan-out a queue (one consumer per job)
 * would need a queue per host for. Requests are signed; answers come back on the asker's channel.
 */
export function probeChannel(prefix: string, role: string): string {
  return `${prefix}:probes:${role}`;
}

export function replyChannel(prefix: string, asker: string): string {
  return `${prefix}:probe-replies:${asker}`;
}

const id = z.string().regex(/^[A-Za-z0-9_.@:-]{1,200}$/);

/** Ids only: the worker runs the probe its own runbook defines under that id. */
export const probeRequestSchema = z.strictObject({
  v: z.literal(1),
  id,
  kind: id,
  probe: id,
  role: id,
  /** The bot's runbook digest: a worker with another runbook says so instead of measuring. */
  runbook: id,
  replyTo: id,
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ProbeRequest = z.infer<typeof probeRequestSchema>;

function requestText(request: Omit<ProbeRequest, 'mac'>): string {
  return JSON.stringify([
    'firebreak-probe/1',
    request.id,
    request.kind,
    request.probe,
    request.role,
    request.runbook,
    request.replyTo,
  ]);
}

export function signProbeRequest(signer: ApprovalSigner, request: Omit<ProbeRequest, 'mac'>): ProbeRequest {
  return { ...request, mac: signer.mac(requestText(request)) };
}

export function verifyProbeRequest(signer: ApprovalSigner, request: ProbeRequest): boolean {
  return signer.check(requestText(request), request.mac);
}

/** A worker's answer: who it is and the probe's result. */
export interface ProbeReply {
  id: string;
  instance: string;
  name: string;
  result: ProbeResult;
}

// The result is checked for what the bot reads of it; the rest of a `ProbeResult` passes through.
const probeReplySchema = z.object({
  id,
  instance: z.string().min(1),
  name: z.string().min(1),
  result: z
    .object({
      probeId: z.string(),
      title: z.string(),
      durationMs: z.number(),
      verdict: z.enum(['ok', 'warn', 'critical', 'unknown']),
      detail: z.string(),
      value: z.number().optional(),
      unit: z.string().optional(),
    })
    .loose(),
});

/** A reply as published by a worker, or undefined for anything else. */
export function parseProbeReply(text: string): ProbeReply | undefined {
  try {
    const parsed = probeReplySchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as ProbeReply) : undefined;
  } catch {
    return undefined;
  }
}
