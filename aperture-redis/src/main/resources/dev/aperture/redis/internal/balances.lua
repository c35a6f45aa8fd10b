-- KEYS: hash and sorted set of each bucket. ARGV: margin ms, then 5 per bucket.
-- Returns {balance, reserved} of each bucket, flattened, refilled to now.
local margin = tonumber(ARGV[1])
local n = #KEYS / 2
local now = now_us()
local out = {}
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i - 1], KEYS[2 * i], 2 + 5 * (i - 1)
  local b, r, t = touch(hkey, zkey, base, now)
  save(hkey, zkey, base, b, r, t, now, margin)
  out[#out + 1] = b
  out[#out + 1] = r
end
return out
