/**
 * The ten decisions of "one whole 503 incident" (open → snapshot → 10 actions → resolve), shared by
 * the Web API budget test and `npm run bench`: both P1 traffic-control actions and their undo, three
 * skips, three more actions that call the sandbox's admin API; nothing is left to undo at the resolve.
 */
export const WHOLE_INCIDENT_DECISIONS: ReadonlyArray<
  readonly [actionId: string, decision: 'approve' | 'skip']
> = [
  ['p1-emergency-rate-limit', 'approve'],
  ['p1-circuit-breaker-nonessential', 'approve'],
  ['p2-graceful-restart', 'skip'],
  ['p2-scale-down-workers', 'skip'],
  ['p2-docker-prune', 'skip'],
  ['p3-reset-db-pools', 'approve'],
  ['p3-force-health-ok', 'approve'],
  ['scale-workers-auto', 'approve'],
  ['normalize-rate-limit', 'approve'],
  ['normalize-circuit-breakers', 'approve'],
];
