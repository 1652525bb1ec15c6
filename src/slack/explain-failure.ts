import { isFirebreakError } from '../errors.js';

/** ioredis' ways of saying the server is out of reach (the store fails fast rather than hang a handler). */
function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(error.message)
  );
}

/**
 * Why a command or a click failed, for the person who sent it: a Firebreak error's own message, or
 * a plain sentence — never a stack, a library's option names or anything from the environment.
 */
export function explainFailure(error: unknown): string {
  if (isFirebreakError(error)) return error.message;
  if (isRedisUnreachable(error)) return 'Firebreak cannot reach its Redis store right now';
  return "something unexpected went wrong (the details are in Firebreak's log)";
}
