import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { FirebreakError } from '../errors.js';
import { type Runbook, runbookSchema } from './runbook-schema.js';

/** Runbooks by kind (`503` → the runbook of `/incident 503`). */
export type RunbookCatalog = ReadonlyMap<string, Runbook>;

/** `actions[3].run.method` from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

export interface LoadOptions {
  /**
   * Words no kind may take, each with what owns it (`status` → `the /incident status command`):
   * a kind spelled like a surface's command could never be opened there. Passed in by the
   * composition root, since the loader knows no surface.
   */
  reservedKinds?: ReadonlyMap<string, string>;
}

/** `doc.toJS()`, with the file named when the YAML library refuses (an alias bomb, say). */
function toPlain(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new FirebreakError(
      'runbook_invalid',
      `invalid YAML\n${file}: ${why} (too many *alias references; write the values out instead)`,
      { cause: err },
    );
  }
}

/**
 * Parses and validates one runbook file. Throws a `runbook_invalid` error whose message names the
 * file, the line, the path of the field and what was expected — one line per problem.
 */
export function parseRunbook(text: string, file: string, options: LoadOptions = {}): Runbook {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map(
      (e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`,
    );
    throw new FirebreakError('runbook_invalid', `invalid YAML\n${lines.join('\n')}`);
  }
  const result = runbookSchema.safeParse(toPlain(doc, file));
  if (result.success) {
    const owner = options.reservedKinds?.get(result.data.kind);
    if (owner === undefined) return result.data;
    const node = doc.get('kind', true);
    const line = isNode(node) && node.range ? `:${lineCounter.linePos(node.range[0]).line}` : '';
    throw new FirebreakError(
      'runbook_invalid',
      `invalid runbook\n${file}${line}: kind: "${result.data.kind}" is taken by ${owner}, so this runbook could never be opened — rename the kind`,
    );
  }
  // An unknown key is reported at its own path (`actions[0].rn`), one line per key.
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...issue.path, key],
          message: 'unknown key (not in the runbook format)',
        }))
      : [{ path: issue.path, message: issue.message }],
  );
  const lines = issues.map((issue) => {
    const node = doc.getIn(issue.path as Array<string | number>, true);
    const line = isNode(node) && node.range ? `:${lineCounter.linePos(node.range[0]).line}` : '';
    const where = issue.path.length > 0 ? ` ${formatPath(issue.path)}:` : '';
    return `${file}${line}:${where} ${issue.message}`;
  });
  throw new FirebreakError('runbook_invalid', `invalid runbook\n${lines.join('\n')}`);
}

/**
 * Loads every `*.yaml` / `*.yml` in `dir`. The first broken file stops the load: a bot that
 * silently dropped a runbook would answer "unknown incident kind" in the middle of an outage.
 */
export async function loadRunbooks(dir: string, options: LoadOptions = {}): Promise<RunbookCatalog> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new FirebreakError('runbook_invalid', `cannot read runbook directory ${dir}: check RUNBOOK_DIR`, {
      cause: err,
    });
  }
  if (names.length === 0) {
    throw new FirebreakError('runbook_invalid', `no runbooks (*.yaml) in ${dir}: check RUNBOOK_DIR`);
  }
  const catalog = new Map<string, Runbook>();
  const fileOf = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const display = relative(process.cwd(), path) || path;
    const runbook = parseRunbook(await readFile(path, 'utf8'), display, options);
    const previous = fileOf.get(runbook.kind);
    if (previous) {
      throw new FirebreakError(
        'runbook_invalid',
        `${display}: kind "${runbook.kind}" is also defined in ${previous}`,
      );
    }
    catalog.set(runbook.kind, runbook);
    fileOf.set(runbook.kind, display);
  }
  return catalog;
}
