import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseHandles } from './database-handles.js';
import { createGenerationLog } from './generation-log.js';
import { createProcfsTree } from './procfs-tree.js';
import type { Simulation } from './simulation.js';

/** The files of the simulated host, for Firebreak's host, `logs` and `lsof` probes to read. */
export interface SandboxFiles {
  /** A procfs tree (stat, meminfo, diskstats, net/…) of the simulated host: `HOST_PROC_ROOT`. */
  procRoot: string;
  /** The generation service's log: `GENERATION_LOG_FILE`. */
  generationLog: string;
  /** The SQLite database the sandbox holds open: `SQLITE_DB_PATH`. */
  database: string;
}

/**
 * How often the files follow the simulation. The host probe samples /proc/stat twice 200 ms apart
 * and needs CPU time to have moved in between; at this period its share is exact to a few tenths.
 */
const HOST_WRITE_MS = 25;

export interface SandboxHost {
  readonly files: SandboxFiles;
  /** Stops updating, closes the database descriptors and removes the directory. */
  stop(): Promise<void>;
}

/** Creates the host's files in a new directory under the OS temp dir and keeps them current. */
export async function startSandboxHost(sim: Simulation): Promise<SandboxHost> {
  const dir = await mkdtemp(join(tmpdir(), 'firebreak-sandbox-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  let update: () => Promise<void>;
  let release: () => Promise<void>;
  let files: SandboxFiles;
  try {
    const tree = await createProcfsTree(join(dir, 'proc'));
    const log = createGenerationLog(join(dir, 'generation-service.log'), sim);
    const database = await createDatabaseHandles(join(dir, 'app.db'));
    files = { procRoot: tree.root, generationLog: log.path, database: database.path };
    release = database.release;
    update = async () => {
      const host = sim.host();
      tree.write(host);
      log.append();
      await database.hold(host.load.dbHandles);
    };
    await update();
  } catch (err) {
    await remove();
    throw err;
  }

  let pending: Promise<void> | null = null;
  const timer = setInterval(() => {
    // One update at a time; a failed one leaves the previous files in place (each is replaced
    // atomically) and the next period tries again.
    pending ??= update()
      .catch(() => undefined)
      .finally(() => {
        pending = null;
      });
  }, HOST_WRITE_MS);
  timer.unref();

  return {
    files,
    async stop() {
      clearInterval(timer);
      await pending;
      await release();
      await remove();
    },
  };
}
