/**
 * What one recovery check found, as the timeline keeps it: `passed` / `failed` from its condition,
 * `unknown` when a probe it reads could not measure. `evidence` holds the lines that explain it, each
 * with the value and the threshold (`http-503-ratio 0.2 % < 1`); a manual check has none.
 */
export interface CheckOutcome {
  checkId: string;
  status: CheckStatus;
  evidence: string[];
}

export const checkStatuses = ['passed', 'failed', 'unknown'] as const;
export type CheckStatus = (typeof checkStatuses)[number];
