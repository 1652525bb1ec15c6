import { FirebreakError } from '../errors.js';

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

/** Names whose values are credentials: never shown, only ever interpolated inside an executor. */
export function isSecretName(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD|KEY|CREDENTIAL/i.test(name);
}

/**
 * A template as a person should read it: targets resolved (`${GENERATION_SERVICE_URL:-…}` → the URL
 * the action will call), credentials left as written (`${ADMIN_TOKEN}`), never an error.
 */
export function interpolateForDisplay(template: string, vars: Variables): string {
  return template.replace(PATTERN, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return whole.slice(1);
    if (isSecretName(name)) return whole;
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    return fallback ?? whole;
  });
}
