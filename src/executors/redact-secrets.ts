import { maskUrlPassword, REDACTED } from '../secrets/mask-credentials.js';
import { SecretMask } from '../secrets/secret-mask.js';

export { REDACTED };

/**
 * Removes secrets from a text before it reaches a person, Slack, the timeline or a log line.
 *
 * Each value of `secrets` (non-empty, at least 4 characters) is replaced with `[redacted]` in its
 * plain, URL-encoded, base64 and JSON-escaped forms; then the generic patterns blank any
 * `Bearer <token>`, any `Authorization:` value, the password of any `scheme://user:pass@` URL and
 * any Slack token, so a credential nobody listed is hidden too. A secret that was cut in half by
 * truncation is not recognised: redact first, truncate after.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return new SecretMask(secrets).apply(text);
}

/** `redis://:hunter2@cache:6379/1` → `redis://:***@cache:6379/1`, for any text that names a target URL. */
export function redactUrlPassword(text: string): string {
  return maskUrlPassword(text);
}
