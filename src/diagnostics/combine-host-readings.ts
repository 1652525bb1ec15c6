import { startWorkerHint } from '../runbooks/host-placement.js';
import type { Probe, Verdict } from '../runbooks/runbook-schema.js';
import { describeThreshold, formatValue } from './format-value.js';
import type { HostReading, ProbeResult } from './probe-result.js';
import { kindUnit } from './run-probe.js';

/** One host's part of a probe with `on:`: its result, or why there is none ("no answer within 5 s"). */
export type HostAnswer = { host: string; result: ProbeResult } | { host: string; missing: string };

/** Worse first; an unanswered host is worse than a healthy one, since it might not be healthy. */
const RANK: Record<Verdict, number> = { critical: 3, warn: 2, unknown: 1, ok: 0 };

function base(probe: Probe, durationMs: number) {
  const unit = probe.threshold?.unit ?? kindUnit(probe.check);
  return {
    probeId: probe.id,
    title: probe.title,
    ...(probe.step === undefined ? {} : { step: probe.step }),
    ...(probe.threshold ? { threshold: describeThreshold(probe.threshold, unit) } : {}),
    durationMs: Math.max(0, Math.round(durationMs)),
  };
}

/** The result of a probe with `on:` when its role has no live worker: unknown, with the fix. */
export function noWorkerResult(probe: Probe, role: string, durationMs = 0): ProbeResult {
  return {
    ...base(probe, durationMs),
    verdict: 'unknown',
    detail: `no worker for role ${role}: ${startWorkerHint(role)}`,
  };
}

function reading(answer: HostAnswer): HostReading {
  if ('missing' in answer) return { host: answer.host, verdict: 'unknown', detail: answer.missing };
  const { result } = answer;
  return {
    host: answer.host,
    verdict: result.verdict,
    ...(result.value === undefined ? {} : { value: result.value }),
    ...(result.unit === undefined ? {} : { unit: result.unit }),
    detail: result.detail,
  };
}

/**
 * One snapshot row from every host of a role: the verdict is the worst host's, the value the most
 * alarming reading (highest for `>` thresholds, lowest for `<`), so a scenario over `host-cpu > 80`
 * fires when any generation host is over 80. `detail` reads "94 % on gen-1, 41 % on gen-2".
 */
export function combineHostReadings(
  probe: Probe,
  answers: readonly HostAnswer[],
  durationMs: number,
): ProbeResult {
  const sorted = [...answers].sort((a, b) => a.host.localeCompare(b.host));
  const hosts = sorted.map(reading);
  const lower = probe.threshold?.op === '<' || probe.threshold?.op === '<=';
  const alarming = (a: HostReading, b: HostReading) =>
    RANK[b.verdict] - RANK[a.verdict] ||
    (lower ? (a.value ?? 0) - (b.value ?? 0) : (b.value ?? 0) - (a.value ?? 0));
  const verdict = hosts.reduce<Verdict>(
    (worst, h) => (RANK[h.verdict] > RANK[worst] ? h.verdict : worst),
    'ok',
  );
  const shown = hosts.filter((h) => h.value !== undefined).sort(alarming)[0];
  const chosen = shown && sorted.find((a) => a.host === shown.host);
  const values = chosen && 'result' in chosen ? chosen.result.values : undefined;
  const detail = hosts
    .map((h) => (h.value === undefined ? `${h.host}: ${h.detail}` : `${formatValue(h)} on ${h.host}`))
    .join(', ');
  return {
    ...base(probe, durationMs),
    verdict,
    ...(shown?.value === undefined ? {} : { value: shown.value, host: shown.host }),
    ...(shown?.unit === undefined ? {} : { unit: shown.unit }),
    ...(values === undefined ? {} : { values }),
    detail,
    hosts,
  };
}
