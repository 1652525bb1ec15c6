import { isSeverity, type Severity } from '../incidents/severity.js';

/**
 * The words alerting rules use for a `severity` label, on the incident scale. A label outside this
 * list (or none) says nothing, and the runbook's severity stands.
 */
const ALIASES: Readonly<Record<string, Severity>> = {
  page: 'critical',
  emergency: 'critical',
  fatal: 'critical',
  p1: 'critical',
  sev1: 'critical',
  high: 'major',
  error: 'major',
  p2: 'major',
  sev2: 'major',
  warning: 'minor',
  warn: 'minor',
  low: 'minor',
  info: 'minor',
  p3: 'minor',
  sev3: 'minor',
};

/** The incident severity an alert's labels claim (`severity="critical"`, `severity="page"`), if any. */
export function alertSeverity(labels: Readonly<Record<string, string>>): Severity | undefined {
  const word = labels.severity?.trim().toLowerCase();
  if (!word) return undefined;
  return isSeverity(word) ? word : ALIASES[word];
}
