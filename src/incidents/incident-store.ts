import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Actor } from '../timeline/actor.js';
import type { TimelineEntry, TimelineEvent } from '../timeline/timeline-entry.js';
import type { TimelineStore } from '../timeline/timeline-store.js';
import type { ActionState, ActionStatus, Approval } from './action-state.js';
import { canTransition, type Incident, type IncidentStatus } from './incident.js';
import type { IncidentAlert } from './incident-alert.js';
import {
  ADD_ALERT,
  ADD_APPROVAL,
  CAS_ACTION,
  CAS_INCIDENT_STATUS,
  CREATE_INCIDENT,
  DISCARD_INCIDENT,
  OFFER_ACTIONS,
  PATCH_INCIDENT,
} from './incident-store-scripts.js';
import { severities } from './severity.js';

/**
 * A change of an action's status. `bumpAttempt` numbers a new approval (1, 2, …); `expectAttempt`
 * makes the change conditional on the attempt the user saw (a stale button loses).
 */
export type ActionPatch = Partial<Omit<ActionState, 'status'>> & {
  status: ActionStatus;
  bumpAttempt?: true;
  expectAttempt?: number;
};

/** What one approval led to: it ran the action's attempt, waits for more, was this person's second, or lost the race. */
export type ApprovalOutcome =
  | { kind: 'queued'; value: ActionState }
  | { kind: 'recorded'; value: ActionState }
  | { kind: 'duplicate'; current: ActionState }
  | { kind: 'moved-on'; current: ActionState | undefined };

/** One approval, and what completes the attempt: `required` different people, one of them not `otherThan`. */
export interface ApprovalRequest {
  approval: Omit<Approval, 'round'>;
  /** The attempts the approver saw (a stale button loses). */
  expectAttempt: number;
  required: number;
  otherThan?: string;
  /** Set when the attempt becomes queued (who completed it, through which surface, when). */
  queued: Pick<ActionState, 'status' | 'decidedBy' | 'decidedVia' | 'decidedAt'>;
}

/** The outcome of a compare-and-set: `ok` false means someone else got there first. */
export type Transition<T> = { ok: true; value: T } | { ok: false; current: T | undefined };

/** A status move that happened says where it came from, for the timeline entry that tells it. */
export type StatusMove =
  | { ok: true; value: Incident; from: IncidentStatus }
  | { ok: false; current: Incident | undefined };

/**
 * Everything Firebreak's core knows about incidents: records, action states, diagnosis, timeline.
 * Nothing of any surface (Slack's message ledger lives in `src/slack/slack-ledger.ts`). Redis is
 * the only implementation today; the interface exists because a console and an archive store are
 * on the road.
 */
export interface IncidentStore extends TimelineStore {
  create(incident: Incident): Promise<boolean>;
  /**
   * Removes an incident that never got further than `opening` with no step done: its opening could
   * not be queued, so the requester was told nothing was created. Returns false (and keeps it) otherwise.
   */
  discard(id: string): Promise<boolean>;
  get(id: string): Promise<Incident | undefined>;
  /** Merges top-level fields of an existing incident (never `status`: use transitionStatus). */
  patch(id: string, fields: Partial<Omit<Incident, 'id' | 'status'>>): Promise<void>;
  transitionStatus(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    fields?: Partial<Incident>,
  ): Promise<StatusMove>;
  listOpen(): Promise<Incident[]>;
  listRecent(limit: number): Promise<Incident[]>;
  /**
   * Records that an alert joined an open incident, in one atomic step: the first alert becomes its
   * `alert`, the earliest `startsAt` its `alertedAt`, and a severity above the incident's raises it
   * (`severityRaisedBy`). `open` false: the incident is resolved or gone, and nothing was changed.
   */
  addAlert(id: string, alert: IncidentAlert): Promise<{ open: boolean; raisedFrom?: string }>;

  /** Adds offered actions; an action already present keeps its state (a retried open changes nothing). */
  offerActions(id: string, states: readonly ActionState[]): Promise<void>;
  getAction(id: string, actionId: string): Promise<ActionState | undefined>;
  listActions(id: string): Promise<ActionState[]>;
  /** The once-only guard: moves an action only if its status is one of `from`, atomically. */
  transitionAction(
    id: string,
    actionId: string,
    from: readonly ActionStatus[],
    patch: ActionPatch,
  ): Promise<Transition<ActionState>>;
  /** Adds one approval atomically; the attempt is queued once enough different people approved. */
  addApproval(
    id: string,
    actionId: string,
    from: readonly ActionStatus[],
    request: ApprovalRequest,
  ): Promise<ApprovalOutcome>;

  saveDiagnosis(id: string, diagnosis: unknown): Promise<void>;
  getDiagnosis<T>(id: string): Promise<T | undefined>;

  /**
   * The incident, its action states and its diagnosis in one round trip: what a surface renders
   * cards and headers from, read once per delivery rather than once per message.
   */
  readIncidentState<D>(id: string): Promise<IncidentState<D> | undefined>;

  /** Resolved incidents still on record, with when they were resolved (for the retention sweep). */
  listResolved(): Promise<Array<{ id: string; resolvedAt: string }>>;
  /**
   * Makes an incident's record, actions, timeline and diagnosis expire at `atMs` (a time in the past
   * deletes them now). Its postmortem (`inc:{<id>}:postmortem`) is kept: it outlives the incident.
   */
  expireAt(id: string, atMs: number): Promise<void>;
  /** Drops from the index of all incidents those whose record has expired; returns how many. */
  pruneIndex(): Promise<number>;
  /**
   * True the first time `token` is seen for this incident within `windowMs`, false for a repeat
   * inside the window (atomic across replicas). For what is worth telling once, not a hundred times.
   */
  firstInWindow(id: string, token: string, windowMs: number): Promise<boolean>;
}

/** Everything a surface renders an incident from. */
export interface IncidentState<D> {
  incident: Incident;
  actions: ActionState[];
  diagnosis: D | undefined;
}

function decodeHash<T>(hash: Record<string, string>): T | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, JSON.parse(v)])) as T;
}

/** A flat [field, value, field, value…] reply as a hash. */
function pairs(flat: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
  return hash;
}

function encodeFields(fields: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, JSON.stringify(v)]),
  );
}

/**
 * Redis layout under `prefix` (default `fb:`); see docs/architecture.md. Each incident's keys carry
 * its id as a hash tag (`fb:inc:{<id>}`, `fb:inc:{<id>}:actions`, …), so a Redis Cluster keeps them in
 * one slot and the scripts that touch several of them stay legal; the indexes live apart and are
 * written as a second step.
 */
export class RedisIncidentStore implements IncidentStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix = 'fb:',
  ) {}

  /** `inc:{<id>}` plus any suffix: one incident's keys, one Cluster slot. */
  private inc(id: string, ...suffix: string[]): string {
    return [`${this.prefix}inc:{${id}}`, ...suffix].join(':');
  }

  private index(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async create(incident: Incident): Promise<boolean> {
    const created = await this.redis.eval(
      CREATE_INCIDENT,
      1,
      this.inc(incident.id),
      JSON.stringify(encodeFields(incident)),
    );
    if (created !== 1) return false;
    await Promise.all([
      this.redis.zadd(this.index('incidents'), Date.parse(incident.openedAt), incident.id),
      this.redis.sadd(this.index('incidents', 'open'), incident.id),
    ]);
    return true;
  }

  async discard(id: string): Promise<boolean> {
    const done = await this.redis.eval(DISCARD_INCIDENT, 1, this.inc(id));
    if (done !== 1) return false;
    await Promise.all([
      this.redis.zrem(this.index('incidents'), id),
      this.redis.srem(this.index('incidents', 'open'), id),
    ]);
    return true;
  }

  async get(id: string): Promise<Incident | undefined> {
    return decodeHash<Incident>(await this.redis.hgetall(this.inc(id)));
  }

  async patch(id: string, fields: Partial<Omit<Incident, 'id' | 'status'>>): Promise<void> {
    const { status: _never, ...rest } = fields as Partial<Incident>;
    const encoded = encodeFields(rest);
    if (Object.keys(encoded).length === 0) return;
    await this.redis.eval(PATCH_INCIDENT, 1, this.inc(id), JSON.stringify(encoded));
  }

  async transitionStatus(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    fields: Partial<Incident> = {},
  ): Promise<StatusMove> {
    const { status: _ignored, ...rest } = fields;
    // The state machine holds whatever a caller passes: nothing moves backwards or out of resolved.
    const allowed = from.filter((status) => canTransition(status, to));
    const [previous, flat] = (await this.redis.eval(
      CAS_INCIDENT_STATUS,
      1,
      this.inc(id),
      JSON.stringify(allowed),
      to,
      JSON.stringify(encodeFields(rest)),
    )) as [IncidentStatus | null, string[]];
    const current = decodeHash<Incident>(pairs(flat));
    if (previous && to === 'resolved') await this.redis.srem(this.index('incidents', 'open'), id);
    return previous && current ? { ok: true, value: current, from: previous } : { ok: false, current };
  }

  async listOpen(): Promise<Incident[]> {
    const ids = await this.redis.smembers(this.index('incidents', 'open'));
    const incidents = await this.getMany(ids);
    // Resolved but still listed: a crash between the status move and leaving the set. Tidy it up.
    const stale = incidents.filter((i) => i.status === 'resolved').map((i) => i.id);
    if (stale.length > 0) await this.redis.srem(this.index('incidents', 'open'), ...stale);
    return incidents
      .filter((i) => i.status !== 'resolved')
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  async listRecent(limit: number): Promise<Incident[]> {
    return this.getMany(await this.redis.zrevrange(this.index('incidents'), 0, limit - 1));
  }

  /** Many incidents in one round trip (ioredis pipelines commands issued together; per node in a Cluster). */
  private async getMany(ids: readonly string[]): Promise<Incident[]> {
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.inc(id))));
    return hashes.map((h) => decodeHash<Incident>(h)).filter((i): i is Incident => i !== undefined);
  }

  async readIncidentState<D>(id: string): Promise<IncidentState<D> | undefined> {
    const [hash, actions, diagnosis] = await Promise.all([
      this.redis.hgetall(this.inc(id)),
      this.redis.hgetall(this.inc(id, 'actions')),
      this.redis.get(this.inc(id, 'diagnosis')),
    ]);
    const incident = decodeHash<Incident>(hash);
    if (!incident) return undefined;
    return {
      incident,
      actions: Object.values(actions).map((raw) => JSON.parse(raw) as ActionState),
      diagnosis: diagnosis ? (JSON.parse(diagnosis) as D) : undefined,
    };
  }

  async addAlert(id: string, alert: IncidentAlert): Promise<{ open: boolean; raisedFrom?: string }> {
    const result = (await this.redis.eval(
      ADD_ALERT,
      1,
      this.inc(id),
      JSON.stringify(alert),
      JSON.stringify(alert.startsAt),
      alert.severity ?? '',
      JSON.stringify(severities),
      JSON.stringify(alert.name),
    )) as [number, string] | null;
    if (!result) return { open: false };
    return result[1] ? { open: true, raisedFrom: result[1] } : { open: true };
  }

  async offerActions(id: string, states: readonly ActionState[]): Promise<void> {
    if (states.length === 0) return;
    const pairs = states.flatMap((state) => [state.actionId, JSON.stringify(state)]);
    await this.redis.eval(OFFER_ACTIONS, 1, this.inc(id, 'actions'), ...pairs);
  }

  async getAction(id: string, actionId: string): Promise<ActionState | undefined> {
    const raw = await this.redis.hget(this.inc(id, 'actions'), actionId);
    return raw ? (JSON.parse(raw) as ActionState) : undefined;
  }

  async listActions(id: string): Promise<ActionState[]> {
    const hash = await this.redis.hgetall(this.inc(id, 'actions'));
    return Object.values(hash).map((raw) => JSON.parse(raw) as ActionState);
  }

  async transitionAction(
    id: string,
    actionId: string,
    from: readonly ActionStatus[],
    patch: ActionPatch,
  ): Promise<Transition<ActionState>> {
    const [ok, raw] = (await this.redis.eval(
      CAS_ACTION,
      1,
      this.inc(id, 'actions'),
      actionId,
      JSON.stringify(from),
      JSON.stringify(patch),
    )) as [number, string | null];
    const value = typeof raw === 'string' ? (JSON.parse(raw) as ActionState) : undefined;
    return ok === 1 && value ? { ok: true, value } : { ok: false, current: value };
  }

  async addApproval(
    id: string,
    actionId: string,
    from: readonly ActionStatus[],
    request: ApprovalRequest,
  ): Promise<ApprovalOutcome> {
    const [code, raw] = (await this.redis.eval(
      ADD_APPROVAL,
      1,
      this.inc(id, 'actions'),
      actionId,
      JSON.stringify(from),
      JSON.stringify(request),
    )) as [number, string | null];
    const value = typeof raw === 'string' ? (JSON.parse(raw) as ActionState) : undefined;
    if (code === 1 && value) return { kind: 'queued', value };
    if (code === 3 && value) return { kind: 'recorded', value };
    if (code === 2 && value) return { kind: 'duplicate', current: value };
    return { kind: 'moved-on', current: value };
  }

  async saveDiagnosis(id: string, diagnosis: unknown): Promise<void> {
    // KEEPTTL: a diagnosis finishing after a resolve must not undo the incident's expiry.
    await this.redis.set(this.inc(id, 'diagnosis'), JSON.stringify(diagnosis), 'KEEPTTL');
  }

  async getDiagnosis<T>(id: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.inc(id, 'diagnosis'));
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  async listResolved(): Promise<Array<{ id: string; resolvedAt: string }>> {
    const resolved: Array<{ id: string; resolvedAt: string }> = [];
    const total = await this.redis.zcard(this.index('incidents'));
    for (let start = 0; start < total; start += 500) {
      const ids = await this.redis.zrange(this.index('incidents'), String(start), String(start + 499));
      // One command per incident, issued together: each incident's keys are in their own Cluster slot.
      const rows = await Promise.all(ids.map((id) => this.redis.hmget(this.inc(id), 'status', 'resolvedAt')));
      rows.forEach(([status, resolvedAt], i) => {
        const id = ids[i];
        if (id && status === '"resolved"' && resolvedAt)
          resolved.push({ id, resolvedAt: JSON.parse(resolvedAt) });
      });
    }
    return resolved;
  }

  async expireAt(id: string, atMs: number): Promise<void> {
    // One incident's keys share a hash tag, so one MULTI holds in a Cluster too.
    const at = String(Math.round(atMs));
    const multi = this.redis.multi();
    for (const key of [
      this.inc(id),
      this.inc(id, 'actions'),
      this.inc(id, 'timeline'),
      this.inc(id, 'diagnosis'),
    ]) {
      multi.pexpireat(key, at);
    }
    await multi.exec();
  }

  async pruneIndex(): Promise<number> {
    let pruned = 0;
    const total = await this.redis.zcard(this.index('incidents'));
    for (let start = total - 1; start >= 0; start -= 500) {
      const ids = await this.redis.zrange(
        this.index('incidents'),
        String(Math.max(0, start - 499)),
        String(start),
      );
      const exists = await Promise.all(ids.map((id) => this.redis.exists(this.inc(id))));
      const gone = ids.filter((_, i) => exists[i] === 0);
      if (gone.length > 0) pruned += await this.redis.zrem(this.index('incidents'), ...gone);
    }
    return pruned;
  }

  async appendTimeline(
    id: string,
    event: TimelineEvent,
    actor?: Actor,
    at = new Date(),
  ): Promise<TimelineEntry> {
    const body = { at: at.toISOString(), ...(actor ? { actor: actor.id, via: actor.via } : {}), ...event };
    const length = await this.redis.rpush(this.inc(id, 'timeline'), JSON.stringify(body));
    return { seq: length - 1, ...body } as TimelineEntry;
  }

  async timelineLength(id: string): Promise<number> {
    return this.redis.llen(this.inc(id, 'timeline'));
  }

  async readTimeline(id: string, fromSeq = 0): Promise<TimelineEntry[]> {
    const raw = await this.redis.lrange(this.inc(id, 'timeline'), fromSeq, -1);
    return raw.map((item, i) => ({ seq: fromSeq + i, ...JSON.parse(item) }) as TimelineEntry);
  }

  async firstInWindow(id: string, token: string, windowMs: number): Promise<boolean> {
    // Hashed: the token carries ids from outside (an actor's), which must not shape the key.
    const digest = createHash('sha256').update(token).digest('hex').slice(0, 32);
    return (await this.redis.set(this.inc(id, 'once', digest), '1', 'PX', windowMs, 'NX')) === 'OK';
  }
}
