import type { StepExpectation } from '../runbooks/runbook-schema.js';
import { conditionText } from '../runbooks/runbook-text.js';
import type { ExecutionContext, Observed } from './step-executor.js';

/** A value at a dotted path: `probe.upstream_healthy`, `1` (an array index), `data.length`. */
export function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) {
      current = part === 'length' ? current.length : /^\d+$/.test(part) ? current[Number(part)] : undefined;
    } else if (current !== null && typeof current === 'object') {
      current = (current as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Text answers (a body, a program's output) are read as JSON when they are JSON. */
export function asJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** A number expected where the answer has its text ("2" from Redis) still matches. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  return typeof actual === 'string' && typeof expected !== 'string' && actual === String(expected);
}

const shown = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * Why a step's result does not meet its `expect:`, or undefined when it does: the HTTP status, a
 * value in the JSON answer, a condition over fresh probes (through `ctx.verify`, which the core
 * provides). The first unmet part is the reason, said with what was found.
 */
export async function unmetExpectation(
  expect: StepExpectation,
  observed: Observed | undefined,
  ctx: ExecutionContext,
): Promise<string | undefined> {
  if (expect.status !== undefined) {
    const wanted = [expect.status].flat();
    if (observed?.status === undefined || !wanted.includes(observed.status)) {
      return `expected status ${wanted.join(' or ')}, got ${observed?.status ?? 'no answer'}`;
    }
  }
  if (expect.json) {
    const actual = valueAt(asJson(observed?.data), expect.json.path);
    if (!same(actual, expect.json.equals)) {
      return `expected ${expect.json.path} = ${JSON.stringify(expect.json.equals)}, got ${shown(actual)}`;
    }
  }
  if (expect.condition) {
    if (!ctx.verify) return `cannot check "${conditionText(expect.condition)}" here: no probes to run`;
    const outcome = await ctx.verify(expect.condition);
    if (outcome.met !== true) {
      return `expected ${conditionText(expect.condition)}: ${outcome.evidence.join('; ') || 'unknown'}`;
    }
  }
  return undefined;
}
