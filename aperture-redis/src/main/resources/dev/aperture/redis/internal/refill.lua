-- KEYS: hash and sorted set of one bucket. ARGV: amount, margin ms, then 5 for the bucket.
-- Returns {balance, reserved} after adding amount, capped at capacity.
local amount, margin = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = now_us()
local cap = tonumber(ARGV[3])
local b, r, t = touch(KEYS[1], KEYS[2], 3, now)
b = b + amount
if b > cap then b = cap end
save(KEYS[1], KEYS[2], 3, b, r, t, now, margin)
return {b, r}
