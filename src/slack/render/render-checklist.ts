import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { activeStatuses, type Incident } from '../../incidents/incident.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import {
  type CheckState,
  type CheckView,
  checklistTiers,
  checklistView,
} from '../../verification/checklist-plan.js';
import type { ChecklistRecord } from '../../verification/checklist-store.js';
import { context, escapeMrkdwn, type RenderedMessage, section, slackDate } from './blocks.js';
import { renderActor } from './render-actor.js';

const MARK: Record<CheckState, string> = {
  passed: ':white_check_mark:',
  failed: ':x:',
  unknown: ':grey_question: unknown',
  pending: ':hourglass_flowing_sand: pending',
  'needs-person': ':raising_hand: needs a person',
};

/** The check a "Mark done" button ticks and the incident it belongs to. */
const tickValueSchema = z.strictObject({ i: z.string().min(1), c: z.string().min(1) });
export type TickValue = z.infer<typeof tickValueSchema>;

export function decodeTickValue(raw: string | undefined): TickValue | undefined {
  try {
    const parsed = tickValueSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const VERIFY_ACTION = 'verify-checks';
export const TICK_ACTION_PREFIX = 'tick-check-';

function checkLine(view: CheckView): string {
  const { result } = view;
  const why = result?.by
    ? `ticked by ${renderActor(result.by, result.via)}`
    : result?.evidence.length
      ? escapeMrkdwn(result.evidence.join('; '))
      : '';
  return `${MARK[view.state]} *${escapeMrkdwn(view.item.title)}*${why ? ` — ${why}` : ''}`;
}

/** The `ab`-like line of each load test a tier's checks read, with what those checks expect of it. */
function loadTestLines(runbook: Runbook, record: ChecklistRecord, views: readonly CheckView[]): string[] {
  const loadTests = runbook.probes.filter((p) => p.check.type === 'loadtest');
  return loadTests.flatMap((probe) => {
    const reading = views.filter((v) =>
      JSON.stringify(v.item.condition ?? {}).includes(`"probe":"${probe.id}"`),
    );
    const result = record.probes[probe.id];
    if (reading.length === 0 || !result) return [];
    const expected = reading
      .map((v) => escapeMrkdwn(v.item.title.replace(/^Load test:\s*/i, '')))
      .join(' · ');
    return [`:stopwatch: ${escapeMrkdwn(result.detail)} — expected: ${expected}`];
  });
}

/**
 * The live recovery checklist: one message in the thread, re-rendered in place from the checklist's
 * record after every run, tick and recovery. Each check shows its value against its threshold (the
 * evidence) and ✓ / ✗ / pending / needs a person; buttons only while the incident is open.
 */
export function renderChecklist(
  incident: Incident,
  runbook: Runbook,
  record: ChecklistRecord,
): RenderedMessage {
  const open = activeStatuses.has(incident.status);
  const views = checklistView(runbook, record);
  const first = checklistTiers(runbook)[0];
  const blocks: KnownBlock[] = [
    section(
      record.mitigatedAt
        ? `:clipboard: *Recovery checklist* — counted from the first successful mitigation, ${slackDate(record.mitigatedAt)}`
        : ':clipboard: *Recovery checklist* — it starts at the first successful mitigation',
    ),
    context(
      record.recoveredAt
        ? `:green_heart: Recovered ${slackDate(record.recoveredAt)}: every ${first?.within ?? ''} check passed.`
        : `Not recovered yet: every ${first?.within ?? 'first-tier'} check must pass.`,
    ),
  ];
  for (const tier of checklistTiers(runbook)) {
    const inTier = views.filter((v) => v.tier.within === tier.within);
    const due = inTier[0]?.dueAt;
    blocks.push(section(`*Within ${tier.within}*${due ? ` — due ${slackDate(due)}` : ''}`));
    for (const view of inTier) {
      const block = section(checkLine(view));
      if (open && view.state === 'needs-person' && block.type === 'section') {
        block.accessory = {
          type: 'button',
          action_id: `${TICK_ACTION_PREFIX}${view.item.id}`,
          text: { type: 'plain_text', text: 'Mark done' },
          value: JSON.stringify({ i: incident.id, c: view.item.id } satisfies TickValue),
        };
      }
      blocks.push(block);
    }
    for (const line of loadTestLines(runbook, record, inTier)) blocks.push(context(line));
  }
  if (open) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: VERIFY_ACTION,
          text: { type: 'plain_text', text: 'Verify now' },
          value: JSON.stringify({ i: incident.id }),
        },
      ],
    });
  }
  const passed = views.filter((v) => v.state === 'passed').length;
  return {
    text: `Recovery checklist of ${incident.id}: ${passed} of ${views.length} checks passed${record.recoveredAt ? ', recovered' : ''}`,
    blocks,
  };
}
