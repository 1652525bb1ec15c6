import type { Comparison, Condition, Threshold, Verdict } from '../runbooks/runbook-schema.js';
import { comparisonSymbol, formatNumber, formatValue } from './format-value.js';
import type { ProbeResult } from './probe-result.js';

/** Three-valued: a condition over a probe that could not measure is neither met nor unmet. */
export type ConditionOutcome = { met: boolean | 'unknown'; evidence: string[] };

/** `value op limit`; `==` / `!=` compare exactly, as thresholds on counts expect. */
export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

/**
 * The verdict of a value against a threshold: `critical` when `value op critical`, else `warn`
 * when a warning level is set and `value op warn`, else `ok`. `op` defaults to `>=` in the schema;
 * a hand-built threshold without one gets the same default here.
 */
export function judge(value: number, threshold: Threshold): Verdict {
  const op = threshold.op ?? '>=';
  if (compare(value, op, threshold.critical)) return 'critical';
  if (threshold.warn !== undefined && compare(value, op, threshold.warn)) return 'warn';
  return 'ok';
}

function because(result: ProbeResult): string {
  return result.detail ? ` (${result.detail})` : '';
}

function evaluateLeaf(
  condition: Exclude<Condition, { all: Condition[] } | { any: Condition[] }>,
  results: ReadonlyMap<string, ProbeResult>,
): ConditionOutcome {
  const result = results.get(condition.probe);
  if (!result) return { met: 'unknown', evidence: [`${condition.probe}: not run`] };

  if ('verdict' in condition) {
    const listed = condition.verdict.includes(result.verdict);
    // An unknown verdict proves nothing unless the condition asks for it explicitly.
    const met = listed ? true : result.verdict === 'unknown' ? 'unknown' : false;
    return { met, evidence: [`${result.probeId}: ${result.verdict}${because(result)}`] };
  }

  const name = condition.field ? `${result.probeId}.${condition.field}` : result.probeId;
  const value = condition.field ? result.values?.[condition.field] : result.value;
  if (result.verdict === 'unknown' || value === undefined) {
    return { met: 'unknown', evidence: [`${name}: unknown${because(result)}`] };
  }
  const shown = condition.field ? formatNumber(value) : formatValue({ value, ...pickUnit(result) });
  const met = compare(value, condition.op, condition.value);
  const op = comparisonSymbol(condition.op);
  // A probe read on several hosts compares its most alarming reading: say whose it is.
  const on = result.host === undefined ? '' : ` on ${result.host}`;
  return {
    met,
    evidence: [`${name} ${shown}${on} ${met ? op : `not ${op}`} ${formatNumber(condition.value)}`],
  };
}

function pickUnit(result: ProbeResult): { unit?: string } {
  return result.unit === undefined ? {} : { unit: result.unit };
}

/**
 * Evaluates a runbook condition (scenario detection, action guard, checklist item) over probe
 * results by probe id. `met` is `'unknown'` when the answer depends on a probe that has no value
 * or an unknown verdict. `evidence` holds the lines that explain the outcome — for a match, the
 * leaves that matched (`cpu 92 % > 80`, `openai-models: critical (HTTP 503 in 2.5 s)`); for a
 * miss, the leaves that failed or could not be decided.
 */
export function evaluateCondition(
  condition: Condition,
  results: ReadonlyMap<string, ProbeResult>,
): ConditionOutcome {
  if ('all' in condition || 'any' in condition) {
    const isAll = 'all' in condition;
    const outcomes = (isAll ? condition.all : condition.any).map((c) => evaluateCondition(c, results));
    // One false child decides `all`; one true child decides `any`.
    const decisive = !isAll;
    const pick = (met: boolean | 'unknown') =>
      outcomes.filter((o) => o.met === met).flatMap((o) => o.evidence);
    if (outcomes.some((o) => o.met === decisive)) return { met: decisive, evidence: pick(decisive) };
    if (outcomes.some((o) => o.met === 'unknown')) {
      // For `any`, every leaf is then false or unknown: show both so the reader sees why.
      return { met: 'unknown', evidence: isAll ? pick('unknown') : outcomes.flatMap((o) => o.evidence) };
    }
    return { met: !decisive, evidence: outcomes.flatMap((o) => o.evidence) };
  }
  return evaluateLeaf(condition, results);
}
