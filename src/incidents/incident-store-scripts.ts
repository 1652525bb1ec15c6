// The store's compare-and-set steps, as Lua run atomically inside Redis. Atomicity is what makes a
// double click, a stale button or a re-delivered job do its work once, and what keeps a reader from
// ever seeing half an incident.

// Both action scripts start here: KEYS[1] = action hash, ARGV[1] = action id, ARGV[2] = JSON array
// of allowed statuses. Leaves `raw` and `current`, or returns {0, current-or-false}.
const ACTION_IN_ALLOWED_STATUS = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {0, false} end
local current = cjson.decode(raw)
local allowed = cjson.decode(ARGV[2])
local ok = false
for _, s in ipairs(allowed) do if current.status == s then ok = true end end
if not ok then return {0, raw} end
`;

// ARGV[3] = JSON patch. Returns {1, new} on success, {0, current-or-false} otherwise.
export const CAS_ACTION = `${ACTION_IN_ALLOWED_STATUS}local patch = cjson.decode(ARGV[3])
-- expectAttempt: the button clicked was rendered for this attempt; a stale copy must not start another.
if patch.expectAttempt ~= nil then
  if (current.attempt or 0) ~= patch.expectAttempt then return {0, raw} end
  patch.expectAttempt = nil
end
-- bumpAttempt: a new approval of the same action gets a new attempt number, hence a new job id.
if patch.bumpAttempt then current.attempt = (current.attempt or 0) + 1; patch.bumpAttempt = nil end
-- A null in the patch removes the field (waitingFor once the action starts).
for k, v in pairs(patch) do if v == cjson.null then current[k] = nil else current[k] = v end end
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

// After ACTION_IN_ALLOWED_STATUS, ARGV[3] = JSON {approval, expectAttempt, required, otherThan?, queued}. Adds one person's approval to the attempt
// being approved (the round after the last attempt; older rounds' approvals do not count) and, once
// enough different people approved (one of them not `otherThan`), moves the action to queued with a
// new attempt number, all in one atomic step.
// Returns {1, new} queued, {3, new} recorded and waiting for more, {2, current} this person already
// approved this round, {0, current-or-false} the status or attempt moved on.
export const ADD_APPROVAL = `${ACTION_IN_ALLOWED_STATUS}local args = cjson.decode(ARGV[3])
if (current.attempt or 0) ~= args.expectAttempt then return {0, raw} end
local round = (current.attempt or 0) + 1
local approvals = {}
if type(current.approvals) == 'table' then
  for _, a in ipairs(current.approvals) do
    if a.round == round then
      if a.by == args.approval.by then return {2, raw} end
      table.insert(approvals, a)
    end
  end
end
args.approval.round = round
table.insert(approvals, args.approval)
current.approvals = approvals
local complete = #approvals >= args.required
if complete and args.otherThan ~= nil and args.otherThan ~= cjson.null then
  complete = false
  for _, a in ipairs(approvals) do if a.by ~= args.otherThan then complete = true end end
end
if complete then
  for k, v in pairs(args.queued) do current[k] = v end
  current.attempt = round
  -- A new attempt starts clean: an old cancel request or cut progress is not this run's.
  current.waitingFor = nil
  current.cancelRequestedBy = nil
  current.cancelRequestedVia = nil
  current.cancelRequestedAt = nil
  current.progress = nil
end
local updated = cjson.encode(current)
redis.call('HSET', KEYS[1], ARGV[1], updated)
if complete then return {1, updated} end
return {3, updated}
`;

// KEYS[1] = incident hash; ARGV[1] = the alert (JSON-encoded, as stored), ARGV[2] = its startsAt
// (JSON-encoded), ARGV[3] = its severity or '', ARGV[4] = JSON array of severities, least severe first,
// ARGV[5] = the alert's name (JSON-encoded). Returns false when the incident is not open, else {1,
// the severity it raised from or ''}. One step, so two alerts joining at once raise to the higher.
export const ADD_ALERT = `
local status = redis.call('HGET', KEYS[1], 'status')
if (not status) or status == '"resolved"' then return false end
if not redis.call('HGET', KEYS[1], 'alert') then redis.call('HSET', KEYS[1], 'alert', ARGV[1]) end
local at = redis.call('HGET', KEYS[1], 'alertedAt')
if (not at) or cjson.decode(at) > cjson.decode(ARGV[2]) then redis.call('HSET', KEYS[1], 'alertedAt', ARGV[2]) end
local raised = ''
if ARGV[3] ~= '' then
  local rank = {}
  for i, s in ipairs(cjson.decode(ARGV[4])) do rank[s] = i end
  local current = cjson.decode(redis.call('HGET', KEYS[1], 'severity') or '""')
  if (rank[ARGV[3]] or 0) > (rank[current] or 0) then
    redis.call('HSET', KEYS[1], 'severity', cjson.encode(ARGV[3]), 'severityRaisedBy', ARGV[5])
    raised = current
  end
end
return {1, raised}
`;
