import { interpolate, type Variables, variablesIn } from '../runbooks/interpolate.js';
import type { Step } from '../runbooks/runbook-schema.js';

/**
 * Values a step reads that are secret by where they go, whether or not the worker listed them:
 * every variable used in an HTTP header (that is where tokens go) and the password of a Redis URL.
 * A server that echoes them back must not put them in Slack.
 */
export function stepSecrets(step: Step, vars: Variables): string[] {
  switch (step.type) {
    case 'http':
      return Object.values(step.headers ?? {})
        .flatMap((template) => variablesIn(template))
        .map((name) => vars[name])
        .filter((value): value is string => value !== undefined && value !== '');
    case 'redis': {
      try {
        const password = URL.parse(interpolate(step.url, vars))?.password;
        return password ? [password, decodeURIComponent(password)] : [];
      } catch {
        // An unset variable: the executor reports it; there is no password to hide.
        return [];
      }
    }
    case 'sequence':
      return step.steps.flatMap((child) => stepSecrets(child, vars));
    default:
      return [];
  }
}
