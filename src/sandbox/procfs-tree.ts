import { renameSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderNetTables } from './render-net-tables.js';
import { type HostSnapshot, renderDiskstats, renderMeminfo, renderStat } from './render-procfs.js';

/** A directory laid out like /proc for the files Firebreak's host probes and `ss -s` read. */
export interface ProcfsTree {
  readonly root: string;
  /** Writes every file whose content changed since the last write; each file is replaced atomically. */
  write(host: HostSnapshot): void;
}

/**
 * Writes the simulated host's procfs under `root`. A reader never sees half a file: each one is
 * written beside its place and renamed over it. The socket tables (thousands of lines when the
 * network saturates) are rendered again only when the connection count moves. The writes are
 * synchronous on purpose: a few kB to the page cache many times a second cost a third of the CPU
 * of the same writes through the thread pool, and the event loop is held for microseconds.
 */
export async function createProcfsTree(root: string): Promise<ProcfsTree> {
  await mkdir(join(root, 'net'), { recursive: true });
  const written = new Map<string, string>();
  let netFor: number | undefined;
  let net: Record<string, string> = {};

  const put = (file: string, content: string): void => {
    if (written.get(file) === content) return;
    const path = join(root, file);
    const staging = join(dirname(path), `.${file.replace('/', '-')}.new`);
    writeFileSync(staging, content);
    renameSync(staging, path);
    written.set(file, content);
  };

  return {
    root,
    write(host) {
      if (netFor !== host.load.established) {
        net = renderNetTables(host.load.established);
        netFor = host.load.established;
      }
      const files: Record<string, string> = {
        stat: renderStat(host),
        meminfo: renderMeminfo(host.load),
        diskstats: renderDiskstats(host),
        ...net,
      };
      for (const [file, content] of Object.entries(files)) put(file, content);
    },
  };
}
