-- KEYS: hash and sorted set of one bucket. ARGV: amount, margin ms, expired-marker prefix,
-- expired-marker ttl ms, then 5 for the bucket.
-- Returns {balance, reserved} after adding amount, capped at capacity.
local amount, margin, xprefix, xttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local now = now_us()
local cap = tonumber(ARGV[5])
local b, r, t = touch(KEYS[1], KEYS[2], 5, now, xprefix, xttl)
b = b + amount
if b > cap then b = cap end
save(KEYS[1], KEYS[2], 5, b, r, t, now, margin)
return {b, r}
