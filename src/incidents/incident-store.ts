import type { Redis } from 'ioredis';
import type { TimelineEntry, TimelineEvent } from '../timeline/timeline-entry.js';
import type { ActionState, ActionStatus } from './action-state.js';
import { canTransition, type Incident, type IncidentStatus } from './incident.js';

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
  /**
   * Removes an incident that never got further than `opening` without a channel: its opening could not
   * be queued, so the requester was told nothing was created. Returns false (and keeps it) otherwise.
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

// KEYS[1] = incident hash, KEYS[2] = open set; ARGV[1] = JSON allowed, ARGV[2] = new status,
// ARGV[3] = JSON fields (values JSON-encoded), ARGV[4] = incident id. Leaving the open set is part of
// the same atomic step, so a crash can never leave a resolved incident listed as open.
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
    if ARGV[2] == 'resolved' then redis.call('SREM', KEYS[2], ARGV[4]) end
    return 1
  end
end
return 0
`;

// KEYS[1] = incident hash, KEYS[2] = all incidents (zset), KEYS[3] = open set, KEYS[4] = channel key or
// '' ; ARGV[1] = id, ARGV[2] = score, ARGV[3] = JSON fields (values JSON-encoded). All or nothing: a
// reader never sees an incident with half its fields.
const CREATE_INCIDENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fields = cjson.decode(ARGV[3])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
if KEYS[4] ~= '' then redis.call('SET', KEYS[4], ARGV[1]) end
return 1
`;

// KEYS[1] = incident hash, KEYS[2] = channel key or ''; ARGV[1] = id, ARGV[2] = JSON fields. A patch
// arriving after the incident is gone (discarded) must not bring back a hash of stray fields.
const PATCH_INCIDENT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = cjson.decode(ARGV[2])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
if KEYS[2] ~= '' then redis.call('SET', KEYS[2], ARGV[1]) end
return 1
`;

// KEYS[1] = incident hash, KEYS[2] = all incidents, KEYS[3] = open set; ARGV[1] = id.
const DISCARD_INCIDENT = `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= '"opening"' or redis.call('HEXISTS', KEYS[1], 'channel') == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`;

// KEYS[1] = delivery hash; ARGV[1] = next. Only ever forward: a slow, older delivery finishing last
// must not make the newer entries look undelivered (they would be posted twice).
const MARK_DELIVERED = `
local next = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if tonumber(ARGV[1]) > next then redis.call('HSET', KEYS[1], 'next', ARGV[1]) end
return 1
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
    const created = await this.redis.eval(
      CREATE_INCIDENT,
      4,
      this.key('inc', incident.id),
      this.key('incidents'),
      this.key('incidents', 'open'),
      incident.channel ? this.key('channel', incident.channel.id) : '',
      incident.id,
      Date.parse(incident.openedAt),
      JSON.stringify(encodeFields(incident)),
    );
    return created === 1;
  }

  async discard(id: string): Promise<boolean> {
    const done = await this.redis.eval(
      DISCARD_INCIDENT,
      3,
      this.key('inc', id),
      this.key('incidents'),
      this.key('incidents', 'open'),
      id,
    );
    return done === 1;
  }

  async get(id: string): Promise<Incident | undefined> {
    return decodeHash<Incident>(await this.redis.hgetall(this.key('inc', id)));
  }

  async patch(id: string, fields: Partial<Omit<Incident, 'id' | 'status'>>): Promise<void> {
    const { status: _never, ...rest } = fields as Partial<Incident>;
    const encoded = encodeFields(rest);
    if (Object.keys(encoded).length === 0) return;
    await this.redis.eval(
      PATCH_INCIDENT,
      2,
      this.key('inc', id),
      fields.channel ? this.key('channel', fields.channel.id) : '',
      id,
      JSON.stringify(encoded),
    );
  }

  async transitionStatus(
    id: string,
    from: readonly IncidentStatus[],
    to: IncidentStatus,
    fields: Partial<Incident> = {},
  ): Promise<Transition<Incident>> {
    const { status: _ignored, ...rest } = fields;
    // The state machine holds whatever a caller passes: nothing moves backwards or out of resolved.
    const allowed = from.filter((status) => canTransition(status, to));
    const done = await this.redis.eval(
      CAS_INCIDENT_STATUS,
      2,
      this.key('inc', id),
      this.key('incidents', 'open'),
      JSON.stringify(allowed),
      to,
      JSON.stringify(encodeFields(rest)),
      id,
    );
    const current = await this.get(id);
    return done === 1 && current ? { ok: true, value: current } : { ok: false, current };
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
    await this.redis.eval(MARK_DELIVERED, 1, this.key('inc', id, 'delivery'), String(seq + 1));
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
