import { buildCore } from '../app/build-core.js';
import { readConfig } from '../config/read-config.js';
import { isFirebreakError } from '../errors.js';
import { createLogger } from '../logging/logger.js';
import { writePostmortem } from '../postmortem/write-postmortem.js';
import type { CliIo } from './cli-io.js';

/**
 * `firebreak postmortem <id> [--write]`: prints the postmortem kept with the incident (Redis at
 * REDIS_URL, under REDIS_PREFIX); `--write` writes it again from the records first (recorded in the
 * incident's timeline as done from the CLI, so the Slack thread gets the new version too).
 */
export async function printPostmortem(
  incidentId: string,
  options: { write: boolean; dir?: string },
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig({ ...env, ...(options.dir ? { RUNBOOK_DIR: options.dir } : {}) }, 'cli');
  } catch (err) {
    if (!isFirebreakError(err)) throw err;
    io.err(`firebreak: invalid configuration — fix these variables (see .env.example):\n${err.message}`);
    return 1;
  }
  let core: Awaited<ReturnType<typeof buildCore>>;
  try {
    core = await buildCore(config, createLogger('silent'));
  } catch (err) {
    if (!isFirebreakError(err)) throw err;
    io.err(`firebreak: ${err.message}`);
    return 1;
  }
  try {
    if (!(await core.deps.store.get(incidentId))) {
      io.err(
        `no incident ${incidentId} in ${config.redisUrl} under prefix "${core.prefix}" (check REDIS_URL and REDIS_PREFIX)`,
      );
      return 1;
    }
    if (options.write) {
      await writePostmortem(core.postmortem, incidentId, { id: env.USER ?? 'cli', via: 'cli' });
    }
    const kept = await core.postmortem.postmortems.get(incidentId);
    if (!kept) {
      io.err(
        `incident ${incidentId} has no postmortem yet: write one with "firebreak postmortem ${incidentId} --write" or /incident postmortem`,
      );
      return 1;
    }
    io.out(kept.markdown.trimEnd());
    return 0;
  } finally {
    await core.close();
  }
}
