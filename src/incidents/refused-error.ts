import { FirebreakError } from '../errors.js';
import { describeRefusal, type Refusal } from './refusal.js';

/**
 * A refusal from a use case whose contract returns a value, not a result union (opening an incident
 * returns it): thrown with the structured refusal, so each surface renders it its own way, and its
 * message is the plain sentence for logs and the CLI.
 */
export class RefusedError extends FirebreakError {
  constructor(readonly refusal: Refusal) {
    super('refused', describeRefusal(refusal));
  }
}

export function isRefusedError(error: unknown): error is RefusedError {
  return error instanceof RefusedError;
}
