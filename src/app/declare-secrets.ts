import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { secretNames } from '../secrets/secret-names.js';
import { secretValues } from '../secrets/secret-values.js';

/**
 * Secrets by declaration: a variable one runbook (or `SECRET_VARIABLES`) calls secret is secret
 * for every runbook, so each runbook of the catalog carries the whole list (the cards read it
 * there), and every declared value joins the values executors and logs mask.
 */
export function declareSecrets(
  runbooks: RunbookCatalog,
  settings: {
    vars: Readonly<Record<string, string | undefined>>;
    secrets: readonly string[];
    secretVariables?: readonly string[] | undefined;
  },
): { runbooks: RunbookCatalog; secrets: string[] } {
  const declared = new Set([
    ...(settings.secretVariables ?? []),
    ...[...runbooks.values()].flatMap((runbook) => runbook.secrets),
  ]);
  const names = [...declared].sort();
  const catalog = new Map([...runbooks].map(([kind, runbook]) => [kind, { ...runbook, secrets: names }]));
  const values = secretValues(settings.vars, { declared, guessed: secretNames(declared) });
  return { runbooks: catalog, secrets: [...new Set([...settings.secrets, ...values])] };
}
