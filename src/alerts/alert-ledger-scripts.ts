// The alert surface's claims, as Lua run atomically inside Redis: whatever number of deliveries of
// one group race, on however many replicas, one of them opens the incident and each of the others
// learns which incident it is (or waits for the one being opened).

// KEYS[1] = group hash (fields `incident`, `state`), KEYS[2] = kind key, KEYS[3] = repeat key.
// ARGV[1] = this attempt's pending token `pending:<owner>:<ms>`, ARGV[2] = `pending:<owner>:` (a
// token of the same owner is a retry of the same work), ARGV[3] = open incident of the kind to join,
// or '', ARGV[4] = the delivery's state, ARGV[5] = '1' when the delivery may open an incident (some
// alert fires), ARGV[6] = TTL of group and kind claims (s), ARGV[7] = repeat window (ms).
//
// Returns {outcome, value, change}:
//   {'known', id, 'changed'|'repeat'|'quiet'}: the group is on incident `id` (its state swapped; the
//      repeat window taken for 'changed' and 'repeat', still running for 'quiet');
//   {'joined', id, 'kind'|'fallback'}: the group is new and joins incident `id` of its kind;
//   {'claimed', token}: the group is new and this attempt opens its incident;
//   {'wait', token}: another attempt is opening the incident; {'none', ''}: nothing fires, nothing known.
export const CLAIM_GROUP = `
local function pending(v) return string.sub(v, 1, 8) == 'pending:' end
local function mine(v) return string.sub(v, 1, #ARGV[2]) == ARGV[2] end
local function take(incident)
  redis.call('HSET', KEYS[1], 'incident', incident, 'state', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[6])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
end
local g = redis.call('HGET', KEYS[1], 'incident')
if g then
  if pending(g) then
    if mine(g) then return {'claimed', g, ''} end
    return {'wait', g, ''}
  end
  redis.call('EXPIRE', KEYS[1], ARGV[6])
  if redis.call('HGET', KEYS[1], 'state') ~= ARGV[4] then
    redis.call('HSET', KEYS[1], 'state', ARGV[4])
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[7])
    return {'known', g, 'changed'}
  end
  if redis.call('SET', KEYS[3], '1', 'PX', ARGV[7], 'NX') then return {'known', g, 'repeat'} end
  return {'known', g, 'quiet'}
end
if ARGV[5] ~= '1' then return {'none', '', ''} end
local k = redis.call('GET', KEYS[2])
if k then
  if pending(k) and not mine(k) then return {'wait', k, ''} end
  if not pending(k) then
    take(k)
    redis.call('EXPIRE', KEYS[2], ARGV[6])
    return {'joined', k, 'kind'}
  end
end
if ARGV[3] ~= '' then
  take(ARGV[3])
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[6])
  return {'joined', ARGV[3], 'fallback'}
end
take(ARGV[1])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[6])
return {'claimed', ARGV[1], ''}
`;

// KEYS[1] = group hash, KEYS[2] = kind key; ARGV[1] = pending token, ARGV[2] = the incident opened.
// The claim now names the incident, wherever it still holds the token.
export const SETTLE_CLAIM = `
if redis.call('HGET', KEYS[1], 'incident') == ARGV[1] then redis.call('HSET', KEYS[1], 'incident', ARGV[2]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2], 'KEEPTTL') end
return 1
`;

// KEYS[1] = group hash, KEYS[2] = kind key, KEYS[3] = repeat key; ARGV[1] = the value to release
// (an incident that is resolved or gone, or a pending token that went stale or failed). Only a claim
// still holding that value is dropped: a newer claim by someone else stays.
export const RELEASE_CLAIM = `
local released = 0
if redis.call('HGET', KEYS[1], 'incident') == ARGV[1] then
  redis.call('DEL', KEYS[1], KEYS[3])
  released = 1
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
  released = 1
end
return released
`;
