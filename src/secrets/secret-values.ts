/** A value guessed secret from its variable's name alone must look like one: longer than a word or a flag. */
const MIN_GUESSED_LENGTH = 8;
/** A declared secret is taken at its word, down to the shortest value a mask can hide safely. */
const MIN_DECLARED_LENGTH = 4;

/** Variables whose value names secrets rather than holding one (their names would match the pattern). */
const LISTS_OF_NAMES = new Set(['SECRET_VARIABLES']);

/** The password of a URL-shaped value (`redis://:pw@host`, `postgres://u:pw@db/x`), decoded too. */
function urlPassword(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
  const password = URL.parse(value)?.password;
  if (!password) return [];
  const decoded = (() => {
    try {
      return decodeURIComponent(password);
    } catch {
      return password;
    }
  })();
  return [...new Set([password, decoded])];
}

/**
 * The values of an environment that must never be shown: those of declared secrets (4+ characters),
 * those of variables whose name says secret (8+ characters, so `AUTH_MODE=basic` does not blank the
 * word "basic" everywhere), and the password inside any URL-shaped value (`REDIS_URL`, `DATABASE_URL`).
 */
export function secretValues(
  env: Readonly<Record<string, string | undefined>>,
  options: { declared: ReadonlySet<string>; guessed: (name: string) => boolean },
): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value === '' || LISTS_OF_NAMES.has(name)) continue;
    if (options.declared.has(name) && value.length >= MIN_DECLARED_LENGTH) values.add(value);
    else if (options.guessed(name) && value.length >= MIN_GUESSED_LENGTH) values.add(value);
    for (const password of urlPassword(value))
      if (password.length >= MIN_DECLARED_LENGTH) values.add(password);
  }
  return [...values];
}
