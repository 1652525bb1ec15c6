/**
 * The ten decisions of "one whole 503 incident" (open → snapshot → 10 actions → resolve), shared by
 * the Web API budget test and `npm run bench`: the three P1 mitigations and their undo, three skips
 * and one more admin-API action, none destructive (one approval each); nothing is left to undo at
 * the resolve.
 */
export const WHOLE_INCIDENT_DECISIONS: ReadonlyArray<
  readonly [actionId: string, decision: 'approve' | 'skip']
> = [
  ['p1-emergency-rate-limit', 'approve'],
  ['p1-circuit-breaker-nonessential', 'approve'],
  ['p1-nginx-traffic-shaping', 'approve'],
  ['p2-graceful-restart', 'skip'],
  ['p2-scale-down-workers', 'skip'],
  ['p2-docker-prune', 'skip'],
  ['p3-reset-db-pools', 'approve'],
  ['normalize-rate-limit', 'approve'],
  ['normalize-circuit-breakers', 'approve'],
  ['normalize-nginx-traffic-shaping', 'approve'],
];
