-- KEYS: the expired marker, then hash and sorted set of each bucket. ARGV: id, margin ms,
-- expired-marker prefix, expired-marker ttl ms, then 5 per bucket. Idempotent: a reservation that
-- expired was charged its estimate then, and its first late release refunds it (capped at capacity).
local id, margin, xprefix, xttl = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local n = (#KEYS - 1) / 2
local now = now_us()
local bs, rs, ts = {}, {}, {}
for i = 1, n do
  bs[i], rs[i], ts[i] = touch(KEYS[2 * i], KEYS[2 * i + 1], 5 + 5 * (i - 1), now, xprefix, xttl)
end
-- Read after touching: this very script may have expired the reservation.
local expired = redis.call('GET', KEYS[1])
local refund = expired and tonumber(expired) or 0
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i], KEYS[2 * i + 1], 5 + 5 * (i - 1)
  local b, r = bs[i], rs[i]
  local est = redis.call('HGET', hkey, 'e:' .. id)
  if est then
    r = r - tonumber(est)
    redis.call('HDEL', hkey, 'e:' .. id)
    redis.call('ZREM', zkey, id)
  else
    b = b + refund
    local cap = tonumber(ARGV[base])
    if b > cap then b = cap end
  end
  save(hkey, zkey, base, b, r, ts[i], now, margin)
end
if expired then redis.call('DEL', KEYS[1]) end
return 1
