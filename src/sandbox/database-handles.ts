import { type FileHandle, open, writeFile } from 'node:fs/promises';

/** The application's SQLite database, held open by the sandbox's own process as the services would. */
export interface DatabaseHandles {
  readonly path: string;
  /** Opens or closes descriptors until exactly `count` are open, so `lsof <path>` lists that many. */
  hold(count: number): Promise<void>;
  /** Closes every descriptor. */
  release(): Promise<void>;
}

/**
 * Creates the database file and returns its holder. An empty file is what SQLite itself creates
 * for a new database, so the file is a real (empty) SQLite database; the descriptors are real too,
 * which is what the runbook's `lsof` counts: each connection a service pools, or a writer queueing
 * on the lock, is one open descriptor.
 */
export async function createDatabaseHandles(path: string): Promise<DatabaseHandles> {
  await writeFile(path, '');
  const handles: FileHandle[] = [];
  const hold = async (count: number): Promise<void> => {
    while (handles.length < count) handles.push(await open(path, 'r+'));
    while (handles.length > count) await handles.pop()?.close();
  };
  return { path, hold, release: () => hold(0) };
}
