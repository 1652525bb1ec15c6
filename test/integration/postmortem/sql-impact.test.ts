// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the runbook's SQL is written with ${START_TIME}, bound by Firebreak
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bindTimeParameters, querySqlite } from '../../../src/postmortem/query-sqlite.js';
import { writeApiLogs } from './api-logs.js';

const logs = writeApiLogs([
  { at: '2026-11-25T09:59:59.000Z', status: 503, user: 'before' },
  { at: '2026-11-25T10:00:00.000Z', status: 503, user: 'u1' },
  { at: '2026-11-25T10:04:00.000Z', status: 503, user: 'u2' },
  { at: '2026-11-25T10:05:00.000Z', status: 500, user: 'u2' },
  { at: '2026-11-25T10:06:00.000Z', status: 504, user: 'u3' },
  { at: '2026-11-25T10:06:00.000Z', status: 200, user: 'u4' },
  { at: '2026-11-25T10:10:01.000Z', status: 503, user: 'after' },
]);
afterAll(() => logs.remove());

const window = { start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T10:10:00.000Z' };
// The seed runbook's two queries, as written.
const COUNT_503 =
  "SELECT COUNT(*) FROM api_logs\nWHERE status_code = 503\nAND timestamp BETWEEN '${START_TIME}' AND '${END_TIME}';";
const USERS =
  "SELECT COUNT(DISTINCT user_id) FROM api_logs\nWHERE status_code >= 500\nAND timestamp BETWEEN '${START_TIME}' AND '${END_TIME}';";

describe("the impact's SQL against a SQLite api_logs", () => {
  it('counts the 503s and the affected users inside the window, with the times bound as parameters', () => {
    expect(querySqlite(logs.path, [COUNT_503, USERS], window, 'sqlite')).toEqual([
      { ok: true, value: 2 },
      { ok: true, value: 3 },
    ]);
    expect(bindTimeParameters(COUNT_503)).toEqual({
      ok: true,
      sql: 'SELECT COUNT(*) FROM api_logs\nWHERE status_code = 503\nAND timestamp BETWEEN @START_TIME AND @END_TIME;',
    });
  });

  it('opens the database read-only: a query that writes is refused and changes nothing', () => {
    const answers = querySqlite(
      logs.path,
      ["DELETE FROM api_logs WHERE timestamp < '${END_TIME}'", 'SELECT 1; DELETE FROM api_logs'],
      window,
      'sqlite',
    );
    expect(answers[0]).toEqual({ ok: false, error: 'refused: an impact query must only read (SELECT)' });
    expect(answers[1]).toMatchObject({
      ok: false,
      error: expect.stringContaining('more than one statement'),
    });
    const db = new Database(logs.path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM api_logs').get()).toEqual({ n: 7 });
    db.close();
  });

  it('refuses anything but the two times in the SQL, and says why a database cannot be read', () => {
    expect(
      querySqlite(logs.path, ["SELECT COUNT(*) FROM api_logs WHERE user_id = '${USER}'"], window, 'sqlite'),
    ).toEqual([
      { ok: false, error: 'only ${START_TIME} and ${END_TIME} may appear in impact SQL, not ${USER}' },
    ]);
    expect(querySqlite(`${logs.path}.missing`, [COUNT_503], window, 'sqlite')[0]).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^cannot open .*\.missing read-only: /),
    });
    expect(querySqlite(logs.path, ['SELECT COUNT(*) FROM no_such_table'], window, 'sqlite')).toEqual([
      { ok: false, error: 'no such table: no_such_table' },
    ]);
  });

  it('binds the times in the format the rows use', () => {
    // ISO times against rows in SQLite's "YYYY-MM-DD HH:MM:SS" compare as text and find nothing:
    // `postmortem.database.timestamps` must say how the rows store time.
    expect(querySqlite(logs.path, [COUNT_503], window, 'iso')).toEqual([{ ok: true, value: 0 }]);
  });
});
