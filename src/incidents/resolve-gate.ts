import type { TimelineEvent } from '../timeline/timeline-entry.js';
import type { Incident } from './incident.js';

/** A check that stands between an incident and a resolve without a reason (plain facts). */
export interface ResolveBlocker {
  checkId: string;
  title: string;
  /** `failed`, `unknown`, `pending` (not run yet) or `needs-person` (not ticked). */
  state: string;
}

/**
 * What must be green before an incident resolves without a reason: the recovery checklist
 * (`src/verification/checklist-gate.ts`). Passed in through the deps, so the core does not import
 * the checklist that imports it.
 */
export interface ResolveGate {
  blockers(incident: Incident): Promise<ResolveBlocker[]>;
}

/** A resolve stopped by the gate: the checks not green, and the way through (`reason`). */
export type GateStop = { kind: 'checks-not-green'; checks: readonly ResolveBlocker[] };

/**
 * The resolve's checklist step: with every check green (or no gate) it passes; otherwise it stops
 * the resolve unless a reason is given, and then the reason is recorded with the checks it overrode.
 */
export async function passResolveGate(
  gate: ResolveGate | undefined,
  incident: Incident,
  reason: string | undefined,
): Promise<{ stop: GateStop } | { because: TimelineEvent[] }> {
  const checks = gate ? await gate.blockers(incident) : [];
  if (checks.length === 0) return { because: [] };
  if (!reason?.trim()) return { stop: { kind: 'checks-not-green', checks } };
  const list = checks.map((c) => `${c.title} (${c.state})`).join('; ');
  return {
    because: [
      {
        type: 'note',
        text: `Resolved with ${checks.length} check(s) not green: ${list}. Reason: ${reason.trim()}`,
      },
    ],
  };
}
