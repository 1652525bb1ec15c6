import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { secretNames, withoutSecrets } from '../secrets/secret-names.js';
import { secretValues } from '../secrets/secret-values.js';

/**
 * Secrets by declaration: a variable one runbook (or `SECRET_VARIABLES`) calls secret is secret for
 * every runbook. Returns every secret value (for executors and logs to mask) and the variables a
 * surface may show (`displayVars`: every secret one left out). The runbooks themselves are left as
 * written, so a worker and the bot that load the same files hold the same runbooks.
 */
export function declareSecrets(
  runbooks: RunbookCatalog,
  settings: {
    vars: Readonly<Record<string, string | undefined>>;
    secrets: readonly string[];
    secretVariables?: readonly string[] | undefined;
  },
): { secrets: string[]; displayVars: Record<string, string | undefined> } {
  const declared = new Set([
    ...(settings.secretVariables ?? []),
    ...[...runbooks.values()].flatMap((runbook) => runbook.secrets),
  ]);
  const values = secretValues(settings.vars, { declared, guessed: secretNames(declared) });
  return {
    secrets: [...new Set([...settings.secrets, ...values])],
    displayVars: withoutSecrets(settings.vars, declared),
  };
}
