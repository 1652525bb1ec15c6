/** What replaces a secret value in any text Firebreak shows or stores. */
export const REDACTED = '[redacted]';

/** `Authorization: Basic abc`, `"authorization":"Bearer x"`, `authorization=…`: the value up to a quote or line end. */
const AUTHORIZATION = /\b(authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi;
/** A bearer token wherever it appears (echoed headers, error messages, curl lines); 8+ characters, so "bearer of" stays prose. */
const BEARER = /\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
/** `scheme://user:password@host`: keeps the user, hides the password. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi;
/** Slack tokens (`xoxb-…`, `xoxp-…`, `xapp-…`), which say what they are in their first letters. */
const SLACK_TOKEN = /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}/g;

/**
 * Hides what looks like a credential, whoever's it is and whether or not anyone declared it: any
 * `Bearer <token>`, any `Authorization:` value, the password of any `scheme://user:pass@` URL, and
 * Slack tokens. The net under every text that leaves Firebreak (cards, logs, executor output).
 */
export function maskCredentials(text: string): string {
  return text
    .replace(AUTHORIZATION, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(URL_PASSWORD, '$1***@')
    .replace(SLACK_TOKEN, REDACTED);
}

/** `redis://:hunter2@cache:6379/1` → `redis://:***@cache:6379/1`, for any text that names a target URL. */
export function maskUrlPassword(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}
