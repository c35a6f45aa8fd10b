-- KEYS: the settle marker and the expired marker of this id, then hash and sorted set of each bucket.
-- ARGV: id, estimate, ttl ms, margin ms, expired-marker prefix, expired-marker ttl ms, then 5 per bucket.
-- Returns {1} when admitted, or {0, index (1-based), balance, reserved} of the first bucket that is
-- not positive.
local id, est, ttl, margin = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local xprefix, xttl = ARGV[5], ARGV[6]
local n = (#KEYS - 2) / 2
-- A retry of a reserve that already ran (its answer was lost) admits without reserving twice; a
-- reserve that timed out and ran only after its call was settled (or after it expired and was charged)
-- must not hold money either.
if redis.call('HEXISTS', KEYS[3], 'e:' .. id) == 1 then return {1} end
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return {1} end
local now = now_us()
local bs, rs, ts = {}, {}, {}
local refused = 0
for i = 1, n do
  bs[i], rs[i], ts[i] = touch(KEYS[2 * i + 1], KEYS[2 * i + 2], 7 + 5 * (i - 1), now, xprefix, xttl)
  if refused == 0 and bs[i] - rs[i] <= 0 then refused = i end
end
local expires = math.floor(now / 1000) + ttl
for i = 1, n do
  local hkey, zkey = KEYS[2 * i + 1], KEYS[2 * i + 2]
  if refused == 0 then
    rs[i] = rs[i] + est
    redis.call('HSET', hkey, 'e:' .. id, fmt(est))
    redis.call('ZADD', zkey, fmt(expires), id)
  end
  save(hkey, zkey, 7 + 5 * (i - 1), bs[i], rs[i], ts[i], now, margin)
end
if refused == 0 then return {1} end
return {0, refused, bs[refused], rs[refused]}
