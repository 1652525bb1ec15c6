import { maskCredentials, REDACTED } from './mask-credentials.js';

/** Shorter values would blank out ordinary words and numbers: a 3-character "secret" is no secret. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form a secret value takes when a server or a program echoes it back: as is, URL-encoded
 * (query strings, form bodies), base64 and base64url (Basic auth, JWT-ish payloads, Kubernetes
 * secrets) and JSON-escaped (twice: a log line that carries a JSON text as a string).
 */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    json,
    JSON.stringify(json).slice(1, -1),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Known secret values (in each of their forms) and the generic credential patterns
 * ({@link maskCredentials}), applied to any text. Values may be added once they are known (the
 * runbooks' declared secrets are read after the logger exists).
 */
export class SecretMask {
  private readonly forms = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(values: Iterable<string> = []) {
    this.add(values);
  }

  add(values: Iterable<string>): void {
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH) continue;
      for (const form of formsOf(value)) if (form.length >= MIN_SECRET_LENGTH) this.forms.add(form);
    }
    // Longest first, so a secret that contains another one is replaced whole.
    const sorted = [...this.forms].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  apply(text: string): string {
    const known = this.pattern ? text.replace(this.pattern, REDACTED) : text;
    return maskCredentials(known);
  }
}
