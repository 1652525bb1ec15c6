import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A SQLite `api_logs` table as the AI script generator writes it (`timestamp` as SQLite's UTC text). */
export function writeApiLogs(rows: readonly { at: string; status: number; user: string }[]): {
  path: string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'fb-api-logs-'));
  const path = join(dir, 'app.db');
  const db = new Database(path);
  db.exec(
    'CREATE TABLE api_logs (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, status_code INTEGER, user_id TEXT)',
  );
  const insert = db.prepare('INSERT INTO api_logs (timestamp, status_code, user_id) VALUES (?, ?, ?)');
  for (const row of rows) insert.run(row.at.slice(0, 19).replace('T', ' '), row.status, row.user);
  db.close();
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
