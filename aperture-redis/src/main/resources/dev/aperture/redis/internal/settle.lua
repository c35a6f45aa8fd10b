-- KEYS: the settle marker and the expired marker, then hash and sorted set of each bucket. ARGV: id,
-- actual, marker ttl ms (both markers), margin ms, expired-marker prefix, then 5 per bucket.
-- Returns 1 when charged, 0 when this id was already settled (a replay of a settle whose answer was
-- lost), so no charge is ever counted twice. A reservation that expired was charged its estimate then:
-- a late settle charges actual - estimate (a refund when negative, capped at capacity).
local id, actual, markerTtl, margin, xprefix = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5]
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', markerTtl) then return 0 end
local n = (#KEYS - 2) / 2
local now = now_us()
local bs, rs, ts = {}, {}, {}
for i = 1, n do
  bs[i], rs[i], ts[i] = touch(KEYS[2 * i + 1], KEYS[2 * i + 2], 6 + 5 * (i - 1), now, xprefix, markerTtl)
end
-- Read after touching: this very script may have expired the reservation.
local expired = redis.call('GET', KEYS[2])
local charged = expired and tonumber(expired) or 0
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i + 1], KEYS[2 * i + 2], 6 + 5 * (i - 1)
  local b, r = bs[i], rs[i]
  local est = redis.call('HGET', hkey, 'e:' .. id)
  if est then
    r = r - tonumber(est)
    redis.call('HDEL', hkey, 'e:' .. id)
    redis.call('ZREM', zkey, id)
    b = b - actual
  else
    b = b - (actual - charged)
  end
  local cap = tonumber(ARGV[base])
  if b > cap then b = cap end
  save(hkey, zkey, base, b, r, ts[i], now, margin)
end
if expired then redis.call('DEL', KEYS[2]) end
return 1
