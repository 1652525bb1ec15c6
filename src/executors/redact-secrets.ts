/** What replaces a secret value in any text Firebreak shows or stores. */
export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words and numbers: a 3-character "secret" is no secret. */
const MIN_SECRET_LENGTH = 4;

/** `Authorization: Basic abc`, `"authorization":"Bearer x"`, `authorization=…`: the value up to a quote or line end. */
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi;
/** A bearer token wherever it appears (echoed headers, error messages, curl lines). */
const BEARER = /\b(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
/** `scheme://user:password@host`: keeps the user, hides the password. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi;

/**
 * Every form a secret value takes when a server or a program echoes it back: as is, URL-encoded
 * (query strings, form bodies), base64 and base64url (Basic auth, JWT-ish payloads, Kubernetes
 * secrets) and JSON-escaped.
 */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/**
 * Removes secrets from a text before it reaches a person, Slack, the timeline or a log line.
 *
 * Each value of `secrets` (non-empty, at least 4 characters) is replaced with `[redacted]` in its
 * plain, URL-encoded, base64 and JSON-escaped forms; then the generic patterns blank any
 * `Bearer <token>`, any `Authorization:` value and the password of any `scheme://user:pass@` URL,
 * so a token nobody listed is hidden too. A secret that was cut in half by truncation is not
 * recognised: redact first, truncate after.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of formsOf(secret)) if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  }
  // Longest first, so a secret that contains another one is replaced whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(REDACTED);
  }
  return result
    .replace(AUTHORIZATION, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(URL_PASSWORD, '$1***@');
}

/** `redis://:hunter2@cache:6379/1` → `redis://:***@cache:6379/1`, for any text that names a target URL. */
export function redactUrlPassword(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}
