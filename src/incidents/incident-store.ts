import type { Redis } from 'ioredis';
import type { TimelineEntry, TimelineEvent } from '../timeline/timeline-entry.js';
import type { ActionState, ActionStatus } from './action-state.js';
import type { Incident, IncidentStatus } from './incident.js';

/**
 * A change of an action's status. `bumpAttempt` numbers a new approval (1, 2, …); `expectAttempt`
 * makes the change conditional on the attempt the user saw (a stale button loses).
 */
export type ActionPatch = Partial<Omit<ActionState, 'status'>> & {
  status: ActionStatus;
  bumpAttempt?: true;
  expectAttempt?: number;
};

/** The outcome of a compare-and-set: `ok` false means someone else got there first. */
export type Transition<T> = { ok: true; value: T } | { ok: false; current: T | undefined };

/**
 * Everything Firebreak knows about incidents. Redis is the only implementation today; the
 * interface exists because a console and an archive store are on the road.
 */
export interface IncidentStore {
  create(incident: Incident): Promise<boolean>;
  get(id: string): Promise<Incident | undefined>;
  /** Merges top-level fields (never `status`: use transitionStatus). */
  patch(id: string, fields: Partial<Omit<Incident, 'id' | 'status'>>): Promise<void>;
  transitionStatus(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    fields?: Partial<Incident>,
  ): Promise<Transition<Incident>>;
  findByChannel(channelId: string): Promise<Incident | undefined>;
  listOpen(): Promise<Incident[]>;
  listRecent(limit: number): Promise<Incident[]>;

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

  saveDiagnosis(id: string, diagnosis: unknown): Promise<void>;
  getDiagnosis<T>(id: string): Promise<T | undefined>;

  appendTimeline(id: string, event: TimelineEvent, actor?: string, at?: Date): Promise<TimelineEntry>;
  readTimeline(id: string, fromSeq?: number): Promise<TimelineEntry[]>;

  /** Delivery bookkeeping for the thread: the next entry to deliver, and what was already posted. */
  nextToDeliver(id: string): Promise<number>;
  markDelivered(id: string, seq: number): Promise<void>;
  postedTs(id: string, seq: number): Promise<string | undefined>;
  markPosted(id: string, seq: number, ts: string): Promise<void>;
  cardTs(id: string, groupId: string): Promise<string | undefined>;
  setCardTs(id: string, groupId: string, ts: string): Promise<void>;
}

// KEYS[1] = hash, ARGV[1] = field, ARGV[2] = JSON array of allowed statuses, ARGV[3] = JSON patch.
// Returns {1, new} on success, {0, current-or-false} otherwise. Runs atomically inside Redis, which is
// what makes a double click, a stale button or a re-delivered job do its work once.
const CAS_JSON_FIELD = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {0, false} end
local current = cjson.decode(raw)
local allowed = cjson.decode(ARGV[2])
local ok = false
for _, s in ipairs(allowed) do if current.status == s then ok = true end end
if not ok then return {0, raw} end
local patch = cjson.decode(ARGV[3])
-- expectAttempt: the button clicked was rendered for this attempt; a stale copy must not start another.
if patch.expectAttempt ~= nil then
  if (current.attempt or 0) ~= patch.expectAttempt then return {0, raw} end
  patch.expectAttempt = nil
end
-- bumpAttempt: a new approval of the same action gets a new attempt number, hence a new job id.
if patch.bumpAttempt then current.attempt = (current.attempt or 0) + 1; patch.bumpAttempt = nil end
for k, v in pairs(patch) do current[k] = v end
local updated = cjson.encode(current)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return {1, updated}
`;

// KEYS[1] = incident hash; ARGV[1] = JSON allowed, ARGV[2] = new status, ARGV[3] = JSON fields (values JSON-encoded).
const CAS_INCIDENT_STATUS = `
local raw = redis.call('HGET', KEYS[1], 'status')
if not raw then return 0 end
local current = cjson.decode(raw)
local allowed = cjson.decode(ARGV[1])
for _, s in ipairs(allowed) do
  if current == s then
    redis.call('HSET', KEYS[1], 'status', cjson.encode(ARGV[2]))
    local fields = cjson.decode(ARGV[3])
    for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
    return 1
  end
end
return 0
`;

function decodeHash<T>(hash: Record<string, string>): T | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, JSON.parse(v)])) as T;
}

function encodeFields(fields: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, JSON.stringify(v)]),
  );
}

/** Redis layout under `prefix` (default `fb:`); see docs/architecture.md. */
export class RedisIncidentStore implements IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fb:',
  ) {}

  private key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async create(incident: Incident): Promise<boolean> {
    const key = this.key('inc', incident.id);
    const created = await this.redis.hsetnx(key, 'id', JSON.stringify(incident.id));
    if (created === 0) return false;
    await this.redis
      .multi()
      .hset(key, encodeFields(incident))
      .zadd(this.key('incidents'), Date.parse(incident.openedAt), incident.id)
      .sadd(this.key('incidents', 'open'), incident.id)
      .exec();
    return true;
  }

  async get(id: string): Promise<Incident | undefined> {
    return decodeHash<Incident>(await this.redis.hgetall(this.key('inc', id)));
  }

  async patch(id: string, fields: Partial<Omit<Incident, 'id' | 'status'>>): Promise<void> {
    const encoded = encodeFields(fields);
    if (Object.keys(encoded).length === 0) return;
    const multi = this.redis.multi().hset(this.key('inc', id), encoded);
    if (fields.channel) multi.set(this.key('channel', fields.channel.id), id);
    await multi.exec();
  }

  async transitionStatus(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    fields: Partial<Incident> = {},
  ): Promise<Transition<Incident>> {
    const { status: _ignored, ...rest } = fields;
    const done = await this.redis.eval(
      CAS_INCIDENT_STATUS,
      1,
      this.key('inc', id),
      JSON.stringify(from),
      to,
      JSON.stringify(encodeFields(rest)),
    );
    const current = await this.get(id);
    if (done === 1 && current) {
      if (to === 'resolved') await this.redis.srem(this.key('incidents', 'open'), id);
      return { ok: true, value: current };
    }
    return { ok: false, current };
  }

  async findByChannel(channelId: string): Promise<Incident | undefined> {
    const id = await this.redis.get(this.key('channel', channelId));
    return id ? this.get(id) : undefined;
  }

  async listOpen(): Promise<Incident[]> {
    const ids = await this.redis.smembers(this.key('incidents', 'open'));
    const incidents = await Promise.all(ids.map((id) => this.get(id)));
    return incidents
      .filter((i): i is Incident => i !== undefined)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  async listRecent(limit: number): Promise<Incident[]> {
    const ids = await this.redis.zrevrange(this.key('incidents'), 0, limit - 1);
    const incidents = await Promise.all(ids.map((id) => this.get(id)));
    return incidents.filter((i): i is Incident => i !== undefined);
  }

  async offerActions(id: string, states: readonly ActionState[]): Promise<void> {
    const key = this.key('inc', id, 'actions');
    const multi = this.redis.multi();
    for (const state of states) multi.hsetnx(key, state.actionId, JSON.stringify(state));
    await multi.exec();
  }

  async getAction(id: string, actionId: string): Promise<ActionState | undefined> {
    const raw = await this.redis.hget(this.key('inc', id, 'actions'), actionId);
    return raw ? (JSON.parse(raw) as ActionState) : undefined;
  }

  async listActions(id: string): Promise<ActionState[]> {
    const hash = await this.redis.hgetall(this.key('inc', id, 'actions'));
    return Object.values(hash).map((raw) => JSON.parse(raw) as ActionState);
  }

  async transitionAction(
    id: string,
    actionId: string,
    from: readonly ActionStatus[],
    patch: ActionPatch,
  ): Promise<Transition<ActionState>> {
    const [ok, raw] = (await this.redis.eval(
      CAS_JSON_FIELD,
      1,
      this.key('inc', id, 'actions'),
      actionId,
      JSON.stringify(from),
      JSON.stringify(patch),
    )) as [number, string | null];
    const value = typeof raw === 'string' ? (JSON.parse(raw) as ActionState) : undefined;
    return ok === 1 && value ? { ok: true, value } : { ok: false, current: value };
  }

  async saveDiagnosis(id: string, diagnosis: unknown): Promise<void> {
    await this.redis.set(this.key('inc', id, 'diagnosis'), JSON.stringify(diagnosis));
  }

  async getDiagnosis<T>(id: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.key('inc', id, 'diagnosis'));
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  async appendTimeline(
    id: string,
    event: TimelineEvent,
    actor?: string,
    at = new Date(),
  ): Promise<TimelineEntry> {
    const body = { at: at.toISOString(), ...(actor ? { actor } : {}), ...event };
    const length = await this.redis.rpush(this.key('inc', id, 'timeline'), JSON.stringify(body));
    return { seq: length - 1, ...body } as TimelineEntry;
  }

  async readTimeline(id: string, fromSeq = 0): Promise<TimelineEntry[]> {
    const raw = await this.redis.lrange(this.key('inc', id, 'timeline'), fromSeq, -1);
    return raw.map((item, i) => ({ seq: fromSeq + i, ...JSON.parse(item) }) as TimelineEntry);
  }

  async nextToDeliver(id: string): Promise<number> {
    return Number((await this.redis.hget(this.key('inc', id, 'delivery'), 'next')) ?? 0);
  }

  async markDelivered(id: string, seq: number): Promise<void> {
    await this.redis.hset(this.key('inc', id, 'delivery'), 'next', String(seq + 1));
  }

  async postedTs(id: string, seq: number): Promise<string | undefined> {
    return (await this.redis.hget(this.key('inc', id, 'delivery'), `posted-${seq}`)) ?? undefined;
  }

  async markPosted(id: string, seq: number, ts: string): Promise<void> {
    await this.redis.hset(this.key('inc', id, 'delivery'), `posted-${seq}`, ts);
  }

  async cardTs(id: string, groupId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key('inc', id, 'cards'), groupId)) ?? undefined;
  }

  async setCardTs(id: string, groupId: string, ts: string): Promise<void> {
    await this.redis.hset(this.key('inc', id, 'cards'), groupId, ts);
  }
}
