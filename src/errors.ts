/**
 * Every error Firebreak raises on purpose carries one of these codes, so the single error handler
 * (and the user-facing message) always knows what it holds. Expected outcomes of a decision (refused,
 * already decided) are result unions, not errors: see `src/incidents/refusal.ts`.
 */
export const errorCodes = [
  'config_invalid',
  'runbook_invalid',
  'runbook_unknown',
  'runbook_variable_unset',
  'incident_not_found',
  /** A surface cannot hold the incident (Slack: the channel is archived, or Slack refuses to create it). */
  'surface_unusable',
  /** A use case said no on purpose; the error carries the structured refusal (`src/incidents/refused-error.ts`). */
  'refused',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** An expected failure with a code and a message a person can act on. */
export class FirebreakError extends Error {
  override readonly name = 'FirebreakError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isFirebreakError(error: unknown, code?: ErrorCode): error is FirebreakError {
  return error instanceof FirebreakError && (code === undefined || error.code === code);
}
