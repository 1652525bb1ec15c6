import Database from 'better-sqlite3';

/** How a database stores time in its rows (`postmortem.database.timestamps`). */
export type TimestampFormat = 'sqlite' | 'iso' | 'unix' | 'unix-ms';

export type SqlAnswer = { ok: true; value: number | undefined } | { ok: false; error: string };

const TIME_PARAMETER = /'?\$\{(START_TIME|END_TIME)\}'?/g;

/**
 * The runbook's SQL with `'${START_TIME}'` / `${END_TIME}` turned into bound parameters: the times are
 * never spliced into the text. Any other `${…}` is refused (SQL is not interpolated from the environment).
 */
export function bindTimeParameters(sql: string): { ok: true; sql: string } | { ok: false; error: string } {
  const bound = sql.replace(TIME_PARAMETER, (_whole, name: string) => `@${name}`);
  const other = /\$\{([^}]*)\}/.exec(bound);
  if (other)
    return {
      ok: false,
      error: `only \${START_TIME} and \${END_TIME} may appear in impact SQL, not \${${other[1]}}`,
    };
  return { ok: true, sql: bound };
}

export function formatTimestamp(iso: string, format: TimestampFormat): string | number {
  const ms = Date.parse(iso);
  switch (format) {
    case 'iso':
      return new Date(ms).toISOString();
    case 'unix':
      return Math.floor(ms / 1000);
    case 'unix-ms':
      return ms;
    case 'sqlite':
      return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  }
}

/**
 * Runs the impact queries against a SQLite file opened read-only (`query_only` too), each statement
 * checked to be a read that returns rows before it runs; the value is the first column of the first
 * row. One answer per query, in order; a failure is an answer, never a throw.
 */
export function querySqlite(
  path: string,
  queries: readonly string[],
  window: { start: string; end: string },
  format: TimestampFormat,
): SqlAnswer[] {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return queries.map(() => ({ ok: false, error: `cannot open ${path} read-only: ${why}` }));
  }
  try {
    db.pragma('query_only = ON');
    const params = {
      START_TIME: formatTimestamp(window.start, format),
      END_TIME: formatTimestamp(window.end, format),
    };
    return queries.map((sql): SqlAnswer => {
      const bound = bindTimeParameters(sql);
      if (!bound.ok) return bound;
      try {
        const statement = db.prepare(bound.sql);
        if (!statement.reader || !statement.readonly) {
          return { ok: false, error: 'refused: an impact query must only read (SELECT)' };
        }
        const names = new Set([...bound.sql.matchAll(/@(START_TIME|END_TIME)/g)].map((m) => m[1] as string));
        const used = Object.fromEntries(Object.entries(params).filter(([name]) => names.has(name)));
        const row = statement.raw().get(used) as unknown[] | undefined;
        const value = row?.[0];
        return {
          ok: true,
          value: typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined,
        };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    });
  } finally {
    db.close();
  }
}
