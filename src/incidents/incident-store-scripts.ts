// The store's compare-and-set steps, as Lua run atomically inside Redis. Atomicity is what makes a
// double click, a stale button or a re-delivered job do its work once, and what keeps a reader from
// ever seeing half an incident.

// KEYS[1] = action hash, ARGV[1] = action id, ARGV[2] = JSON array of allowed statuses, ARGV[3] =
// JSON patch. Returns {1, new} on success, {0, current-or-false} otherwise.
export const CAS_ACTION = `
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

// KEYS[1] = incident hash; ARGV[1] = JSON allowed, ARGV[2] = new status, ARGV[3] = JSON fields (values
// JSON-encoded). Returns {status moved from, or false; the hash as it is now, flat}: the caller needs
// the incident either way, and reading it here saves a round trip. Leaving the open set is the
// caller's next step (a Redis Cluster keeps the set in another slot); `listOpen` drops a resolved
// incident a crash left there.
export const CAS_INCIDENT_STATUS = `
local raw = redis.call('HGET', KEYS[1], 'status')
if not raw then return {false, {}} end
local current = cjson.decode(raw)
local allowed = cjson.decode(ARGV[1])
for _, s in ipairs(allowed) do
  if current == s then
    redis.call('HSET', KEYS[1], 'status', cjson.encode(ARGV[2]))
    local fields = cjson.decode(ARGV[3])
    for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
    return {current, redis.call('HGETALL', KEYS[1])}
  end
end
return {false, redis.call('HGETALL', KEYS[1])}
`;

// KEYS[1] = incident hash; ARGV[1] = JSON fields (values JSON-encoded). All or nothing; the indexes
// (all incidents, the open ones) follow as the caller's next step, being in other Cluster slots.
export const CREATE_INCIDENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fields = cjson.decode(ARGV[1])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
return 1
`;

// KEYS[1] = incident hash; ARGV[1] = JSON fields. A patch arriving after the incident is gone
// (discarded) must not bring back a hash of stray fields.
export const PATCH_INCIDENT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = cjson.decode(ARGV[1])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
return 1
`;

// KEYS[1] = incident hash. Only an incident still `opening` with no step of its opening done; the
// caller then takes it out of the indexes.
export const DISCARD_INCIDENT = `
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= '"opening"' then return 0 end
local progress = cjson.decode(redis.call('HGET', KEYS[1], 'progress') or '{}')
if next(progress) ~= nil then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

// KEYS[1] = action hash; ARGV = action id, state, action id, state… Offers the actions: the first
// offer writes them all in one command; a retried one keeps every state already there (HSETNX).
export const OFFER_ACTIONS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('HSET', KEYS[1], unpack(ARGV)) end
for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 0
`;
