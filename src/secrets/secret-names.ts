/**
 * The default guess, for variables nobody declared: names that say they hold a credential
 * (`ADMIN_TOKEN`, `OPENAI_API_KEY`, `DB_PASS`, `SERVICE_AUTH`, `SIGNING_SECRET`, `AWS_CREDENTIALS`).
 */
const SECRET_NAME = /TOKEN|SECRET|PASS|KEY|CREDENTIAL|AUTH/i;

/** Whether a variable's name alone says it holds a credential (the default when nothing is declared). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Which variables are secret: those declared so (a runbook's `secrets:`, `SECRET_VARIABLES`, the
 * variables Firebreak's own configuration knows to be credentials), and by default those whose name
 * says so. A secret is never shown (cards, `firebreak show`, logs); only an executor reads it.
 */
export function secretNames(declared: Iterable<string> = []): (name: string) => boolean {
  const names = new Set(declared);
  return (name) => names.has(name) || isSecretName(name);
}

/**
 * `vars` without the secret ones (declared, or secret by name): what display code may resolve.
 * A template's `${DB_PASS}` then stays as written, and `${DB_PASS:-x}` shows its runbook default.
 */
export function withoutSecrets(
  vars: Readonly<Record<string, string | undefined>>,
  declared: Iterable<string>,
): Record<string, string | undefined> {
  const isSecret = secretNames(declared);
  return Object.fromEntries(Object.entries(vars).filter(([name]) => !isSecret(name)));
}
