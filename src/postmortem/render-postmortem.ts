import { formatNumber } from '../diagnostics/format-value.js';
import { durationsOf, secondsBetween } from '../verification/incident-milestones.js';
import { humanDuration, table, utc, who } from './markdown.js';
import type { PostmortemFacts } from './postmortem-facts.js';
import { milestoneTitle, timelineRows } from './render-timeline-rows.js';
import { evidenceFrom } from './why-evidence.js';

/** The durations people quote, from the same recorded moments the histograms observe. */
function durationLines(facts: PostmortemFacts): string[] {
  const m = facts.milestones;
  const d = durationsOf(m);
  const t = (milestone: Parameters<typeof milestoneTitle>[1]) =>
    milestoneTitle(facts.runbook, milestone).toLowerCase();
  return table(
    ['Measure', 'From → to', 'Duration'],
    [
      [
        'Time to detect',
        `${t('occurred')} → ${t('alerted')}`,
        humanDuration(secondsBetween(m.occurredAt, m.alertedAt)),
      ],
      ['Time to acknowledge', `${t('alerted')} → first approval`, humanDuration(d.acknowledge)],
      ['Time to mitigate', `${t('alerted')} → first successful mitigation`, humanDuration(d.mitigate)],
      ['Time to recover', `${t('alerted')} → ${t('recovered')}`, humanDuration(d.recover)],
      [
        'Impact duration',
        `${t('occurred')} → ${t('recovered')}`,
        humanDuration(secondsBetween(m.occurredAt, m.recoveredAt)),
      ],
      ['Time to resolve', `${t('alerted')} → ${t('resolved')}`, humanDuration(d.resolve)],
    ],
  );
}

/** The runbook's moments Firebreak cannot know (plain `postmortem.timeline` lines): for people to add. */
function toRecord(facts: PostmortemFacts): string[] {
  const plain = (facts.runbook?.postmortem?.timeline ?? []).filter((t): t is string => typeof t === 'string');
  return plain.length > 0 ? ['', 'To add by hand:', ...plain.map((t) => `- [ ] ${t}: _time, who_`)] : [];
}

function impactLines(facts: PostmortemFacts): string[] {
  const { window } = facts;
  const startsAt = facts.milestones.occurredAt ? 'occurred' : 'alerted';
  const rows = facts.impact.map((line) => [
    line.title,
    line.error ? `— (${line.error})` : line.value === undefined ? '— (no rows)' : formatNumber(line.value),
    line.source === 'prometheus' ? `Prometheus: \`${line.query}\`` : 'SQL (api_logs, read-only)',
  ]);
  if (facts.peak) {
    const value =
      'error' in facts.peak
        ? `— (${facts.peak.error})`
        : `${formatNumber(facts.peak.value)} /s at ${utc(facts.peak.at)}`;
    rows.push(['Peak error rate', value, `Prometheus: \`${facts.peak.query}\``]);
  }
  return [
    `Window: ${utc(window.start)} → ${utc(window.end)} UTC (${humanDuration((Date.parse(window.end) - Date.parse(window.start)) / 1000)}), from ${startsAt} to ${window.endsAt}.`,
    '',
    ...(rows.length > 0
      ? table(['Measure', 'Value', 'Source'], rows)
      : ['No impact queries in the runbook.']),
    ...(facts.sqlSkipped ? ['', `SQL impact queries not run: ${facts.sqlSkipped}.`] : []),
  ];
}

function checklistLines(facts: PostmortemFacts): string[] {
  if (facts.checks.length === 0) return ['The runbook has no recovery checklist.'];
  const mark = {
    passed: '✓',
    failed: '✗',
    unknown: '?',
    pending: 'pending',
    'needs-person': 'needs a person',
  };
  return table(
    ['Check', 'Within', 'Result', 'Evidence'],
    facts.checks.map((c) => [
      c.item.title,
      c.tier.within,
      mark[c.state],
      c.result?.by
        ? `ticked by ${who(c.result.by, c.result.via)} at ${utc(c.result.at)}`
        : (c.result?.evidence.join('; ') ?? ''),
    ]),
  );
}

function whyLines(facts: PostmortemFacts): string[] {
  const whys = facts.runbook?.postmortem?.fiveWhys ?? [];
  if (whys.length === 0)
    return ['The runbook lists no questions; ask "why?" five times, starting from the symptom.'];
  return whys.flatMap((why, i) => {
    const question = typeof why === 'string' ? why : why.question;
    const sources = typeof why === 'string' ? [] : why.evidence;
    const evidence = sources.flatMap((source) => evidenceFrom(facts, source));
    return [
      `${i + 1}. **${question}**`,
      ...(evidence.length > 0
        ? ['   Evidence:', ...evidence.map((e) => `   - ${e}`)]
        : ['   Evidence: none recorded.']),
      '   Answer: _to be completed_',
      '',
    ];
  });
}

/**
 * The postmortem as Markdown, pure: the runbook's `postmortem` block gives its sections (timeline
 * moments, impact queries, five whys, prevention), the incident's records fill them in.
 */
export function renderPostmortem(facts: PostmortemFacts): string {
  const { incident } = facts;
  const prevention = facts.runbook?.postmortem?.prevention ?? [];
  const lines = [
    `# Postmortem: incident ${incident.id} — ${incident.title}`,
    '',
    `- Kind: \`${incident.kind}\`, severity ${incident.severity}, status ${incident.status}`,
    `- Opened by ${who(incident.openedBy, incident.openedVia)} at ${utc(incident.openedAt)} UTC${incident.summary ? `: ${incident.summary}` : ''}`,
    ...(incident.resolvedAt
      ? [`- Resolved by ${who(incident.resolvedBy, incident.resolvedVia)} at ${utc(incident.resolvedAt)} UTC`]
      : []),
    `- Written by Firebreak at ${utc(facts.generatedAt)} UTC from the incident's records; the answers are for people to write.`,
    '',
    '## Timeline (UTC)',
    '',
    ...table(
      ['Time', 'What', 'Who'],
      timelineRows(facts).map((r) => [utc(r.at), r.what, r.who]),
    ),
    ...toRecord(facts),
    '',
    '### Durations',
    '',
    ...durationLines(facts),
    '',
    '## Impact',
    '',
    ...impactLines(facts),
    '',
    '## Recovery checklist',
    '',
    ...checklistLines(facts),
    '',
    '## Five whys',
    '',
    ...whyLines(facts),
    '## Prevention',
    '',
    ...(prevention.length > 0 ? prevention.map((p) => `- [ ] ${p}`) : ['- [ ] (none listed in the runbook)']),
  ];
  return `${lines.join('\n')}\n`;
}
