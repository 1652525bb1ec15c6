import type { Runbook } from '../runbooks/runbook-schema.js';
import { evaluateCondition } from './evaluate-condition.js';
import type { ProbeResult } from './probe-result.js';
import { type ProbeContext, runProbe } from './run-probe.js';

/** One root-cause scenario of the runbook, judged from the diagnosis' results. */
export interface ScenarioMatch {
  scenarioId: string;
  number: number;
  title: string;
  /** True only when the detection condition is met; unknown counts as not matched. */
  matched: boolean;
  /** Lines that explain the outcome: `cpu 92 % ≥ 80`, `openai-models: critical (HTTP 503 in 2.5 s)`. */
  evidence: string[];
}

/** The snapshot posted when an incident opens. */
export interface Diagnosis {
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** In step order, then runbook order. */
  results: ProbeResult[];
  /** Every scenario: matched ones first, then by number. */
  scenarios: ScenarioMatch[];
}

/**
 * Runs the diagnosis probes in parallel — every probe with a `step`, or exactly `probeIds` when
 * given (the checklist's re-runs) — and classifies the root cause. Each probe has its own timeout
 * and `runProbe` never throws, so the whole run takes about the longest timeout and always
 * returns a complete snapshot.
 */
export async function runDiagnosis(
  runbook: Runbook,
  ctx: ProbeContext & { probeIds?: string[] },
): Promise<Diagnosis> {
  const now = ctx.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const wanted = ctx.probeIds ? new Set(ctx.probeIds) : undefined;
  const probes = runbook.probes
    .map((probe, index) => ({ probe, index }))
    .filter(({ probe }) => (wanted ? wanted.has(probe.id) : probe.step !== undefined))
    .sort((a, b) => (a.probe.step ?? 99) - (b.probe.step ?? 99) || a.index - b.index)
    .map(({ probe }) => probe);
  const probeCtx: ProbeContext =
    ctx.logPatterns === undefined ? { ...ctx, logPatterns: runbook.triggers.logPatterns } : ctx;
  const results = await Promise.all(probes.map((probe) => runProbe(probe, probeCtx)));

  const byId = new Map(results.map((result) => [result.probeId, result]));
  const scenarios = runbook.scenarios
    .map((scenario): ScenarioMatch => {
      const outcome = evaluateCondition(scenario.detect, byId);
      return {
        scenarioId: scenario.id,
        number: scenario.number,
        title: scenario.title,
        matched: outcome.met === true,
        evidence: outcome.evidence,
      };
    })
    .sort((a, b) => Number(b.matched) - Number(a.matched) || a.number - b.number);

  return { startedAt, finishedAt: new Date(now()).toISOString(), results, scenarios };
}
