import { FirebreakError } from '../errors.js';
import { maskCredentials } from '../secrets/mask-credentials.js';
import { isSecretName } from '../secrets/secret-names.js';

/** `${NAME}` or `${NAME:-default}`; `$${` escapes a literal `${`. */
const PATTERN = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Variables a runbook may read: the process environment as the config module captured it. */
export type Variables = Readonly<Record<string, string | undefined>>;

/**
 * Replaces `${VAR}` / `${VAR:-default}` in one string. An unset variable without a default is an
 * error that names it — raised when a probe or action runs, not when the runbook loads.
 */
export function interpolate(template: string, vars: Variables): string {
  return template.replace(PATTERN, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new FirebreakError(
      'runbook_variable_unset',
      `environment variable ${name} is not set and the runbook gives no default (write \${${name}:-default} or set ${name})`,
    );
  });
}

/** Interpolates every string inside a JSON-like value (headers, bodies, argv). */
export function interpolateDeep<T>(value: T, vars: Variables): T {
  if (typeof value === 'string') return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, vars)]),
    ) as T;
  }
  return value;
}

/** The names a template reads, for `firebreak show` and for redacting secrets from output. */
export function variablesIn(template: string): string[] {
  return [...template.matchAll(PATTERN)].filter((m) => !m[1]).map((m) => m[2] as string);
}

export { isSecretName };

/**
 * A template as a person should read it: targets resolved (`${GENERATION_SERVICE_URL:-…}` → the URL
 * the action will call), secrets left as written (`${ADMIN_TOKEN}`), never an error. `isSecret`
 * says which variables are secret — by declaration (a runbook's `secrets:`, `SECRET_VARIABLES`)
 * and by default by name; a resolved value that still looks like a credential (a bearer token, a
 * URL's password, a Slack token) is masked.
 */
export function interpolateForDisplay(
  template: string,
  vars: Variables,
  isSecret: (name: string) => boolean = isSecretName,
): string {
  return template.replace(PATTERN, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    if (isSecret(name)) return whole;
    const value = vars[name];
    if (value !== undefined && value !== '') return maskCredentials(value);
    return fallback ?? whole;
  });
}
