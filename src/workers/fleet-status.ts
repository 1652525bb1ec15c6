import type { FleetStatus, WorkerView } from '../incidents/worker-fleet.js';
import { hasUnplacedActions, runbookRoles, startWorkerHint } from '../runbooks/host-placement.js';
import type { RunbookCatalog } from '../runbooks/load-runbooks.js';
import { runbookDigest } from '../runbooks/runbook-digest.js';
import { liveFor } from './worker-registry.js';

/** What the bot is: its runbooks (what needs which roles) and its signing key's fingerprint. */
export interface FleetNeeds {
  runbooks: RunbookCatalog;
  keyId: string;
}

/** Roles the runbooks name, and whether any action runs without a role. */
export function neededRoles(runbooks: RunbookCatalog): { roles: string[]; unplaced: boolean } {
  const roles = new Set<string>();
  let unplaced = false;
  for (const runbook of runbooks.values()) {
    for (const role of runbookRoles(runbook)) roles.add(role);
    unplaced ||= hasUnplacedActions(runbook);
  }
  return { roles: [...roles].sort(), unplaced };
}

/** "no live worker for role generation: start `npm run worker -- --role generation` on those hosts". */
export function noLiveWorker(role: string | undefined): string {
  return role === undefined
    ? `no live executor for actions without a role: ${startWorkerHint(undefined)}`
    : `no live worker for role ${role}: ${startWorkerHint(role)}`;
}

/**
 * What is wrong with the workers, from the bot's side: a role its runbooks need with no live worker,
 * a worker signing with another key (it would refuse every action), a worker whose runbook differs
 * from the bot's (it reports the mismatch instead of running).
 */
export function fleetStatus(workers: readonly WorkerView[], needs: FleetNeeds): FleetStatus {
  const problems: string[] = [];
  const { roles, unplaced } = neededRoles(needs.runbooks);
  if (unplaced && liveFor(workers, undefined).length === 0) problems.push(noLiveWorker(undefined));
  for (const role of roles) if (liveFor(workers, role).length === 0) problems.push(noLiveWorker(role));
  for (const worker of workers.filter((w) => w.live)) {
    if (worker.keyId !== needs.keyId) {
      problems.push(
        `${worker.name} holds a different APPROVAL_SIGNING_KEY than the bot: it refuses every action — set the same key on both`,
      );
    }
    for (const [kind, runbook] of needs.runbooks) {
      const theirs = worker.runbooks[kind];
      if (theirs === runbookDigest(runbook)) continue;
      if (theirs === undefined) {
        const serves =
          (worker.unplaced && hasUnplacedActions(runbook)) ||
          runbookRoles(runbook).some((role) => worker.roles.includes(role));
        if (serves) problems.push(`${worker.name} has no ${kind} runbook: deploy the same commands/ there`);
        continue;
      }
      problems.push(
        `${worker.name} has a different ${kind} runbook (${theirs}, the bot's is ${runbookDigest(runbook)}): deploy the same commands/ there`,
      );
    }
  }
  return { workers: [...workers], problems };
}
