import type { Cluster, Redis } from 'ioredis';
import { type AlertDelivery, alertDeliverySchema } from './alert-delivery.js';
import { CLAIM_GROUP, RELEASE_CLAIM, SETTLE_CLAIM } from './alert-ledger-scripts.js';

/**
 * How long a group's record and a kind's claim live after the last delivery that touched them.
 * Alertmanager re-sends a firing group every `repeat_interval` (1 h shipped), so a firing group never
 * expires; a quiet one is forgotten after a day, and a later delivery finds the open incident of its
 * kind again (by the core's query) rather than opening a second.
 * @defaultValue 24 hours
 */
export const CLAIM_TTL_S = 24 * 3600;

/** What a delivery found: see {@link AlertLedger.claim}. */
export type Claim =
  /** The group is on this incident; `change` says whether its news differ from the last delivery's. */
  | { outcome: 'known'; incidentId: string; change: 'changed' | 'repeat' | 'quiet' }
  /** The group is new and joins the open incident of its kind (claimed by an alert, or found). */
  | { outcome: 'joined'; incidentId: string; via: 'kind' | 'fallback' }
  /** The group is new and this attempt opens its incident, under `token` until it is recorded. */
  | { outcome: 'claimed'; token: string }
  /** Another attempt is opening the group's (or its kind's) incident, since `sinceMs`. */
  | { outcome: 'wait'; token: string; sinceMs: number }
  /** Nothing of the group fires and no incident knows it. */
  | { outcome: 'none' };

export interface ClaimRequest {
  groupId: string;
  kind: string;
  /** Who is asking (a job id): a retry of the same owner gets its own pending claim back. */
  owner: string;
  /** The open incident of the kind, if the core knows one: a new group joins it. */
  fallback?: string;
  state: string;
  mayOpen: boolean;
  repeatWindowMs: number;
  nowMs: number;
}

const PENDING = 'pending:';

/**
 * The alert surface's own record in Redis (under the bot's prefix), as the Slack ledger is Slack's:
 * - `{<prefix>alerts}:group:<id>` (hash): `incident` — the incident of an Alertmanager group (or a
 *   pending claim while it is opened) — and `state`, the digest of its last delivery;
 * - `{<prefix>alerts}:group:<id>:latest`: the group's latest delivery, which the alert worker reads;
 * - `{<prefix>alerts}:group:<id>:repeat`: set for the repeat window after each entry about the group;
 * - `{<prefix>alerts}:kind:<kind>`: the incident alerts of a runbook kind go to while it is open.
 */
export class AlertLedger {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix = 'fb:',
  ) {}

  /** `{<prefix>alerts}`: the slot every alert key lives in. */
  private tagged(): string {
    return `{${this.prefix}alerts}`;
  }

  private keys(groupId: string, kind: string): [string, string, string] {
    // One hash tag for all alert keys: the claim script touches a group's keys and its kind's at once,
    // which a Redis Cluster allows only within one slot.
    const group = `${this.tagged()}:group:${groupId}`;
    return [group, `${this.tagged()}:kind:${kind}`, `${group}:repeat`];
  }

  private latestKey(groupId: string): string {
    return `${this.tagged()}:group:${groupId}:latest`;
  }

  async saveLatest(groupId: string, delivery: AlertDelivery): Promise<void> {
    await this.redis.set(this.latestKey(groupId), JSON.stringify(delivery), 'EX', CLAIM_TTL_S);
  }

  /** The group's latest delivery; undefined when it expired or does not parse (a newer format). */
  async readLatest(groupId: string): Promise<AlertDelivery | undefined> {
    const raw = await this.redis.get(this.latestKey(groupId));
    if (!raw) return undefined;
    const parsed = alertDeliverySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * The one atomic step every delivery takes: which incident its group is on, or the right to open
   * it. Also records the delivery's state and takes the group's repeat window, so that of any number
   * of racing deliveries exactly one opens, and equal news is told at most once per window.
   */
  async claim(request: ClaimRequest): Promise<Claim> {
    const own = `${PENDING}${request.owner}:`;
    const [outcome, value, detail] = (await this.redis.eval(
      CLAIM_GROUP,
      3,
      ...this.keys(request.groupId, request.kind),
      `${own}${request.nowMs}`,
      own,
      request.fallback ?? '',
      request.state,
      request.mayOpen ? '1' : '0',
      CLAIM_TTL_S,
      request.repeatWindowMs,
    )) as [string, string, string];
    switch (outcome) {
      case 'known':
        return { outcome, incidentId: value, change: detail as 'changed' | 'repeat' | 'quiet' };
      case 'joined':
        return { outcome, incidentId: value, via: detail as 'kind' | 'fallback' };
      case 'claimed':
        return { outcome, token: value };
      case 'wait':
        return { outcome, token: value, sinceMs: Number(value.split(':').at(-1)) };
      default:
        return { outcome: 'none' };
    }
  }

  /** The pending claim `token` now names the incident it opened. */
  async settle(groupId: string, kind: string, token: string, incidentId: string): Promise<void> {
    const [group, kindKey] = this.keys(groupId, kind);
    await this.redis.eval(SETTLE_CLAIM, 2, group, kindKey, token, incidentId);
  }

  /** Drops the group's and the kind's claim where they still hold `value` (a resolved incident, a stale token). */
  async release(groupId: string, kind: string, value: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE_CLAIM, 3, ...this.keys(groupId, kind), value)) === 1;
  }
}
