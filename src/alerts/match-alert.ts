import { type LabelMatcher, matchesLabel, parseLabelMatcher } from '../runbooks/label-matcher.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import type { Runbook, TriggerAlert } from '../runbooks/runbook-schema.js';
import { RUNBOOK_LABEL } from './prometheus-rules.js';

/** What {@link matchAlert} needs of an alert: its labels (`alertname` among them). */
export interface AlertLabels {
  labels: Readonly<Record<string, string>>;
}

/** Which runbook claims an alert, or why none does. */
export type AlertMatch =
  | { outcome: 'matched'; runbook: Runbook; trigger: TriggerAlert }
  | { outcome: 'unmatched'; reason: string }
  /** Several runbooks claim it and its `runbook` label does not pick one: a catalog to fix. */
  | { outcome: 'ambiguous'; kinds: string[]; reason: string };

function parsedMatchers(trigger: TriggerAlert): LabelMatcher[] {
  // The schema has checked each matcher already; one that fails here was never loaded through it.
  return (trigger.matchers ?? []).map((text) => {
    const parsed = parseLabelMatcher(text);
    if (typeof parsed === 'string') throw new TypeError(parsed);
    return parsed;
  });
}

/** The runbook's first trigger whose name is the alert's and whose matchers all hold. */
function claimingTrigger(runbook: Runbook, alertname: string, labels: AlertLabels['labels']) {
  return runbook.triggers.alerts.find(
    (trigger) =>
      trigger.alert === alertname &&
      parsedMatchers(trigger).every((matcher) => matchesLabel(matcher, labels)),
  );
}

/**
 * The runbook that claims an alert: one with a trigger whose `alert` equals the alert's `alertname`
 * and whose `matchers` (if any) all hold for its labels. `monitoring.alertRules` never claim one —
 * they are rules to install, not reasons to open an incident.
 *
 * The `runbook` label that `firebreak rules` puts on every rule decides between runbooks: when it
 * names a runbook of the catalog, only that runbook may claim the alert. When it is absent (a rule
 * written by hand) or names a kind the catalog does not have (a rule file older than a rename),
 * every runbook is asked, and more than one claimant is `ambiguous` rather than a guess.
 */
export function matchAlert(catalog: RunbookCatalog, alert: AlertLabels): AlertMatch {
  const alertname = alert.labels.alertname;
  if (!alertname) return { outcome: 'unmatched', reason: 'the alert has no alertname label' };
  const named = alert.labels[RUNBOOK_LABEL];
  const namedRunbook = named === undefined ? undefined : catalog.get(named);
  const candidates = namedRunbook ? [namedRunbook] : [...catalog.values()];

  const claims = candidates.flatMap((runbook) => {
    const trigger = claimingTrigger(runbook, alertname, alert.labels);
    return trigger ? [{ runbook, trigger }] : [];
  });
  const [claim, ...others] = claims;
  if (claim && others.length === 0) return { outcome: 'matched', ...claim };
  if (claim) {
    const kinds = claims.map((c) => c.runbook.kind);
    return {
      outcome: 'ambiguous',
      kinds,
      reason: `${alertname} is claimed by runbooks ${kinds.join(', ')}: give the triggers matchers, or label the rule ${RUNBOOK_LABEL}="<kind>"`,
    };
  }
  const byName = candidates.filter((r) => r.triggers.alerts.some((t) => t.alert === alertname));
  if (byName.length === 0) {
    const reason = namedRunbook
      ? `runbook ${namedRunbook.kind}, named by the alert's ${RUNBOOK_LABEL} label, has no trigger ${alertname}`
      : `no runbook has a trigger ${alertname}`;
    return { outcome: 'unmatched', reason };
  }
  const kinds = `runbook${byName.length > 1 ? 's' : ''} ${byName.map((r) => r.kind).join(', ')}`;
  return {
    outcome: 'unmatched',
    reason: `the alert's labels do not satisfy the matchers of trigger ${alertname} (${kinds})`,
  };
}
