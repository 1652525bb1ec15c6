import { parseDuration } from '../runbooks/duration.js';
import type { ChecklistItem, Runbook } from '../runbooks/runbook-schema.js';
import type { ChecklistRecord, CheckResult } from './checklist-store.js';

/** The checks due at one time after the first mitigation (the runbook's `within`: 5m, 30m, 1h). */
export interface CheckTier {
  within: string;
  ms: number;
  items: ChecklistItem[];
}

/** How a check stands: a result, or not run yet (`pending`), or waiting for a person to tick it. */
export type CheckState = CheckResult['status'] | 'pending' | 'needs-person';

export interface CheckView {
  item: ChecklistItem;
  tier: CheckTier;
  state: CheckState;
  result?: CheckResult;
  /** When its tier runs (ISO 8601), once the checklist has started. */
  dueAt?: string;
}

/** The runbook's checklist by tier, soonest first. */
export function checklistTiers(runbook: Runbook): CheckTier[] {
  const tiers = new Map<string, CheckTier>();
  for (const item of runbook.checklist) {
    const tier = tiers.get(item.within) ?? { within: item.within, ms: parseDuration(item.within), items: [] };
    tier.items.push(item);
    tiers.set(item.within, tier);
  }
  return [...tiers.values()].sort((a, b) => a.ms - b.ms);
}

/** A check measured by probes, as opposed to one a person ticks. */
export function isAutomated(item: ChecklistItem): boolean {
  return item.condition !== undefined;
}

/** Every check with its state, in tier order. */
export function checklistView(runbook: Runbook, record: ChecklistRecord): CheckView[] {
  const started = record.mitigatedAt ? Date.parse(record.mitigatedAt) : undefined;
  return checklistTiers(runbook).flatMap((tier) =>
    tier.items.map((item): CheckView => {
      const result = record.results[item.id];
      const state: CheckState = result?.status ?? (isAutomated(item) ? 'pending' : 'needs-person');
      return {
        item,
        tier,
        state,
        ...(result ? { result } : {}),
        ...(started === undefined ? {} : { dueAt: new Date(started + tier.ms).toISOString() }),
      };
    }),
  );
}

/** Checks that are not green: failing, unknown, not run yet or not ticked. */
export function notGreen(views: readonly CheckView[]): CheckView[] {
  return views.filter((v) => v.state !== 'passed');
}

/** True once every check of the first tier (automated and ticked alike) has passed. */
export function firstTierPassed(runbook: Runbook, results: ChecklistRecord['results']): boolean {
  const [first] = checklistTiers(runbook);
  return first?.items.every((item) => results[item.id]?.status === 'passed') ?? false;
}

/** The automated checks of every tier due within `uptoMs` of the first mitigation. */
export function automatedUpTo(runbook: Runbook, uptoMs: number): ChecklistItem[] {
  return checklistTiers(runbook)
    .filter((tier) => tier.ms <= uptoMs)
    .flatMap((tier) => tier.items.filter(isAutomated));
}
