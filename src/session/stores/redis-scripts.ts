/**
 * One atomic round trip per session write, on one key (cluster-safe). KEYS[1]: the session
 * hash. ARGV: lastAccessedTime, maxInactiveInterval (s), creationTime ('' unless creating),
 * the expected attribute field ('' for none) and its expected JSON ("\0": absent), the key's
 * TTL (s: the inactivity timeout, shorter near the end of an absolute lifetime), then
 * field/value pairs to store, where the value "\0" removes the field. A session that is gone
 * stays gone; a failed precondition writes nothing. Replies 'ok' | 'gone' | 'exists', or
 * {'conflict', current JSON or "\0"}.
 */
export const WRITE_SESSION = `
local key = KEYS[1]
local creating = ARGV[3] ~= ''
local exists = redis.call('EXISTS', key) == 1
if creating then
  if exists then return 'exists' end
elseif not exists then
  return 'gone'
end
if ARGV[4] ~= '' then
  local current = redis.call('HGET', key, ARGV[4]) or '\0'
  if current ~= ARGV[5] then return {'conflict', current} end
end
local fields = {'lastAccessedTime', ARGV[1], 'maxInactiveInterval', ARGV[2]}
if creating then
  fields[5] = 'creationTime'
  fields[6] = ARGV[3]
end
local removed = {}
for i = 7, #ARGV, 2 do
  if ARGV[i + 1] == '\0' then
    removed[#removed + 1] = ARGV[i]
  else
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
  end
end
redis.call('HSET', key, unpack(fields))
if #removed > 0 then redis.call('HDEL', key, unpack(removed)) end
redis.call('EXPIRE', key, ARGV[6])
return 'ok'
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
