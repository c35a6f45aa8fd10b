-- KEYS: the settle marker, then hash and sorted set of each bucket. ARGV: id, actual, marker ttl ms,
-- margin ms, then 5 per bucket. Returns 1 when charged, 0 when this id was already settled (a replay
-- of a settle whose answer was lost), so no charge is ever counted twice.
local id, actual, markerTtl, margin = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', markerTtl) then return 0 end
local n = (#KEYS - 1) / 2
local now = now_us()
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i], KEYS[2 * i + 1], 5 + 5 * (i - 1)
  local b, r, t = touch(hkey, zkey, base, now)
  local est = redis.call('HGET', hkey, 'e:' .. id)
  if est then
    r = r - tonumber(est)
    redis.call('HDEL', hkey, 'e:' .. id)
    redis.call('ZREM', zkey, id)
  end
  save(hkey, zkey, base, b - actual, r, t, now, margin)
end
return 1
