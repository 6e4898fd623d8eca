/**
 * One atomic round trip per session write, on one key (cluster-safe). KEYS[1]: the
 * session hash. ARGV: mode ("create" | "update"), ttl ms, lastAccessedTime,
 * maxInactiveInterval, creationTime, #expect, #set, #remove, then the expect pairs
 * (field, json or "\0" for absent), the set pairs, the fields to remove.
 * A session that is gone stays gone; a failed precondition writes nothing.
 */
export const WRITE_SESSION = `
local key = KEYS[1]
local exists = redis.call('EXISTS', key) == 1
if ARGV[1] == 'create' then
  if exists then return {'exists'} end
elseif not exists then
  return {'gone'}
end
local nExpect, nSet, nRemove = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local i = 9
local conflicts = {'conflict'}
for _ = 1, nExpect do
  local current = redis.call('HGET', key, ARGV[i]) or '\\0'
  if current ~= ARGV[i + 1] then
    conflicts[#conflicts + 1] = ARGV[i]
    conflicts[#conflicts + 1] = current
  end
  i = i + 2
end
if #conflicts > 1 then return conflicts end
local fields = {'lastAccessedTime', ARGV[3], 'maxInactiveInterval', ARGV[4]}
if ARGV[1] == 'create' then
  fields[#fields + 1] = 'creationTime'
  fields[#fields + 1] = ARGV[5]
end
for _ = 1, nSet * 2 do
  fields[#fields + 1] = ARGV[i]
  i = i + 1
end
redis.call('HSET', key, unpack(fields))
if nRemove > 0 then redis.call('HDEL', key, unpack(ARGV, i, i + nRemove - 1)) end
redis.call('PEXPIRE', key, ARGV[2])
return {'ok'}
`;

/** Adds an id to a principal's index set and keeps the set alive at least ARGV[2] ms. */
export const INDEX_SESSION = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/** Fixed-window counter: INCRBY ARGV[2] (0 only reads), the window's expiry set on creation. */
export const COUNT_IN_WINDOW = `
local amount = tonumber(ARGV[2])
if amount == 0 then return tonumber(redis.call('GET', KEYS[1]) or '0') end
local n = redis.call('INCRBY', KEYS[1], amount)
if n == amount then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;
