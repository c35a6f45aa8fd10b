-- KEYS: hash and sorted set of each bucket. ARGV: id, margin ms, then 5 per bucket. Idempotent.
local id, margin = ARGV[1], tonumber(ARGV[2])
local n = #KEYS / 2
local now = now_us()
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i - 1], KEYS[2 * i], 3 + 5 * (i - 1)
  local b, r, t = touch(hkey, zkey, base, now)
  local est = redis.call('HGET', hkey, 'e:' .. id)
  if est then
    r = r - tonumber(est)
    redis.call('HDEL', hkey, 'e:' .. id)
    redis.call('ZREM', zkey, id)
  end
  save(hkey, zkey, base, b, r, t, now, margin)
end
return 1
