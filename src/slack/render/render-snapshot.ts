import type { KnownBlock } from '@slack/types';
import { formatValue } from '../../diagnostics/format-value.js';
import type { ProbeResult } from '../../diagnostics/probe-result.js';
import type { Diagnosis } from '../../diagnostics/run-diagnosis.js';
import type { Verdict } from '../../runbooks/runbook-schema.js';
import { context, escapeMrkdwn, type RenderedMessage, section } from './blocks.js';

export const verdictIcon: Record<Verdict, string> = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  critical: ':red_circle:',
  unknown: ':white_circle:',
};

const stepTitles: Record<number, string> = {
  1: 'Step 1 · Services',
  2: 'Step 2 · Resources',
  3: 'Step 3 · Data stores',
  4: 'Step 4 · Upstreams',
};

/** A probe with `on:`: one reading per host, `*94 %* on gen-1, *41 %* on gen-2`. */
function hostReadings(result: ProbeResult): string | undefined {
  if (!result.hosts || result.hosts.length === 0) return undefined;
  return result.hosts
    .map((h) =>
      h.value === undefined
        ? `${escapeMrkdwn(h.host)}: ${escapeMrkdwn(h.detail)}`
        : `*${formatValue(h)}* on ${escapeMrkdwn(h.host)}`,
    )
    .join(', ');
}

function line(result: ProbeResult): string {
  const value = result.value === undefined ? '' : ` *${formatValue(result)}*`;
  const threshold = result.threshold ? ` _(${escapeMrkdwn(result.threshold)})_` : '';
  const perHost = hostReadings(result);
  if (perHost) return `${verdictIcon[result.verdict]} ${escapeMrkdwn(result.title)}: ${perHost}${threshold}`;
  return `${verdictIcon[result.verdict]} ${escapeMrkdwn(result.title)}:${value} — ${escapeMrkdwn(result.detail)}${threshold}`;
}

/** One compact message: every check with value, threshold and verdict, then the likely root cause. */
export function renderSnapshot(diagnosis: Diagnosis): RenderedMessage {
  const results = diagnosis.results;
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const seconds = ((Date.parse(diagnosis.finishedAt) - Date.parse(diagnosis.startedAt)) / 1000).toFixed(1);
  const steps = [...new Set(results.map((r) => r.step ?? 0))].sort((a, b) => a - b);
  const blocks: KnownBlock[] = [
    section(
      `:stethoscope: *Diagnostic snapshot* — ${results.length} checks in ${seconds} s: ` +
        `${count('critical')} critical, ${count('warn')} warning, ${count('ok')} ok, ${count('unknown')} unknown`,
    ),
  ];
  for (const step of steps) {
    const lines = results.filter((r) => (r.step ?? 0) === step).map(line);
    blocks.push(section(`*${stepTitles[step] ?? `Step ${step}`}*\n${lines.join('\n')}`));
  }
  const matched = diagnosis.scenarios.filter((s) => s.matched);
  if (matched.length > 0) {
    const text = matched
      .map(
        (s) =>
          `*Scenario ${s.number} — ${escapeMrkdwn(s.title)}*\n${s.evidence.map((e) => `• ${escapeMrkdwn(e)}`).join('\n')}`,
      )
      .join('\n');
    blocks.push({ type: 'divider' }, section(`:dart: *Likely root cause*\n${text}`));
  } else {
    blocks.push(
      { type: 'divider' },
      section(':dart: *Likely root cause:* no scenario matched the evidence; follow P1–P3.'),
    );
  }
  blocks.push(context(`Probed ${diagnosis.startedAt} – ${diagnosis.finishedAt}`));
  const worst = results.filter((r) => r.verdict === 'critical').map((r) => r.title);
  return {
    text: `Diagnostic snapshot: ${count('critical')} critical${worst.length ? ` (${worst.slice(0, 3).join(', ')})` : ''}`,
    blocks,
  };
}
