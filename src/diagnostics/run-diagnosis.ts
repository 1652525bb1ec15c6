import type { Probe, Runbook } from '../runbooks/runbook-schema.js';
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

/**
 * Runs a probe that names a host role (`on:`) on that role's workers, one reading per host, within
 * the probe's timeout. Never throws: a role without a live worker is an `unknown` result with the fix.
 */
export type RemoteProbes = (probe: Probe, runbook: Runbook, signal?: AbortSignal) => Promise<ProbeResult>;

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
 * returns a complete snapshot. With `remote`, probes with `on:` run on their role's workers.
 */
export async function runDiagnosis(
  runbook: Runbook,
  ctx: ProbeContext & { probeIds?: string[]; remote?: RemoteProbes },
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
  const { remote } = ctx;
  const results = await Promise.all(
    probes.map((probe) =>
      probe.on !== undefined && remote ? remote(probe, runbook, ctx.signal) : runProbe(probe, probeCtx),
    ),
  );

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
