import { formatValue } from '../diagnostics/format-value.js';
import type { ProbeResult } from '../diagnostics/probe-result.js';
import { durationsOf } from '../verification/incident-milestones.js';
import { humanDuration, utc, who } from './markdown.js';
import type { PostmortemFacts } from './postmortem-facts.js';

function probeLine(when: string, result: ProbeResult): string {
  const threshold = result.threshold ? ` (threshold ${result.threshold})` : '';
  return `${result.title}, ${when}: ${result.verdict} — ${formatValue(result)}${threshold}; ${result.detail}`;
}

/** The lines of evidence one source gives: a probe id, `scenarios`, `actions`, `checklist`, `detection`. */
export function evidenceFrom(facts: PostmortemFacts, source: string): string[] {
  switch (source) {
    case 'scenarios': {
      const matched = facts.diagnosis?.scenarios.filter((s) => s.matched) ?? [];
      if (!facts.diagnosis) return ['no diagnosis was recorded'];
      if (matched.length === 0) return ['no root-cause scenario matched the diagnosis'];
      return matched.map((s) => `Scenario ${s.number} (${s.title}) matched: ${s.evidence.join('; ')}`);
    }
    case 'actions': {
      if (facts.actions.length === 0) return ['no action was approved or skipped'];
      return facts.actions.map((run) => {
        const action = facts.runbook?.actions.find((a) => a.id === run.actionId);
        const title = action ? `${action.group} · ${action.title}` : run.actionId;
        const how = run.decision === 'skipped' ? 'skipped' : (run.outcome ?? 'approved, no result');
        return `${title}: ${how} (${who(run.decidedBy, run.decidedVia)}, ${utc(run.decidedAt)})`;
      });
    }
    case 'checklist': {
      if (facts.checks.length === 0) return ['the runbook has no recovery checklist'];
      return facts.checks.map((c) => {
        const detail = c.result?.evidence.join('; ') || (c.result?.by ? `ticked by ${c.result.by}` : '');
        return `${c.item.title}: ${c.state.replace('-', ' ')}${detail ? ` — ${detail}` : ''}`;
      });
    }
    case 'detection': {
      const m = facts.milestones;
      const detect = m.occurredAt
        ? humanDuration((Date.parse(m.alertedAt) - Date.parse(m.occurredAt)) / 1000)
        : undefined;
      const ack = humanDuration(durationsOf(m).acknowledge);
      return [
        m.occurredAt
          ? `occurred ${utc(m.occurredAt)}, alerted ${utc(m.alertedAt)}: ${detect} to detect`
          : `alerted ${utc(m.alertedAt)}; when it began is unknown (no alert start, no error-rate rise found)`,
        `first approval ${m.approvedAt ? utc(m.approvedAt) : 'never'}: ${ack} to acknowledge`,
      ];
    }
    default: {
      const lines: string[] = [];
      const diagnosed = facts.diagnosis?.results.find((r) => r.probeId === source);
      if (diagnosed) lines.push(probeLine('at the diagnosis', diagnosed));
      const checked = facts.checks
        .flatMap((c) => (c.item.condition ? [c] : []))
        .find((c) => c.result && JSON.stringify(c.item.condition).includes(`"probe":"${source}"`));
      if (checked?.result)
        lines.push(
          `${checked.item.title}, last check ${utc(checked.result.at)}: ${checked.state} — ${checked.result.evidence.join('; ')}`,
        );
      return lines.length > 0 ? lines : [`${source}: not measured during this incident`];
    }
  }
}
