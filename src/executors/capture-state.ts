import type { Capture } from '../runbooks/runbook-schema.js';
import { asJson, valueAt } from './check-expectation.js';
import { describeStep } from './describe-step.js';
import { observeStep } from './execute-step.js';
import { redactSecrets } from './redact-secrets.js';
import { truncate } from './result-text.js';
import type { ExecutionContext } from './step-executor.js';
import { stepSecrets } from './step-secrets.js';

/** A captured value is one short line an undo puts back (a size, a policy, a count), not a document. */
const MAX_VALUE = 200;

export type Captured = { ok: true; values: Record<string, string> } | { ok: false; summary: string };

function valueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Reads the state an action is about to change (`CONFIG GET maxmemory`, `sysctl -n …`), one capture
 * after the other, before the action runs; its undo reads the values back as `${NAME}`. Never
 * throws. Any failure — the read fails, the path finds nothing, the value is empty or too long, or
 * it holds a secret (it would be stored in Redis and shown on the card) — fails the whole capture,
 * and the action must not run: an undo without the old value would be a guess.
 */
export async function captureState(captures: readonly Capture[], ctx: ExecutionContext): Promise<Captured> {
  const values: Record<string, string> = {};
  for (const capture of captures) {
    const what = `reading ${capture.as} (${describeStep(capture.read)})`;
    const { result, observed } = await observeStep(capture.read, ctx);
    if (result.outcome === 'failed') return { ok: false, summary: `${what} failed: ${result.summary}` };
    const data = capture.path === undefined ? observed?.data : valueAt(asJson(observed?.data), capture.path);
    const text = valueText(data);
    if (text === undefined || text === '') {
      return { ok: false, summary: `${what} found no value${capture.path ? ` at ${capture.path}` : ''}` };
    }
    if (text.length > MAX_VALUE)
      return { ok: false, summary: `${what} found ${text.length} characters, not one value` };
    const secrets = [...ctx.secrets, ...stepSecrets(capture.read, ctx.vars)];
    if (redactSecrets(text, secrets) !== text) {
      return { ok: false, summary: `${what} found a value that holds a secret: it is not stored` };
    }
    values[capture.as] = truncate(text, MAX_VALUE);
  }
  return { ok: true, values };
}
