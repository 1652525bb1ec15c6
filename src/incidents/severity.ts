/** Incident severities, least severe first: the runbook format's own scale (`severity:` of a runbook). */
export const severities = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof severities)[number];

export function isSeverity(value: string | undefined): value is Severity {
  return (severities as readonly string[]).includes(value ?? '');
}

/** True when `candidate` ranks above `current`; a value off the scale ranks below every severity. */
export function isMoreSevere(candidate: string, current: string): boolean {
  const rank = (s: string) => (severities as readonly string[]).indexOf(s);
  return rank(candidate) > rank(current);
}
