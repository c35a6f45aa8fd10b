-- KEYS: hash and sorted set of each bucket. ARGV: margin ms, expired-marker prefix, expired-marker ttl
-- ms, then 5 per bucket. Returns {balance, reserved} of each bucket, flattened, refilled to now.
local margin, xprefix, xttl = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local n = #KEYS / 2
local now = now_us()
local out = {}
for i = 1, n do
  local hkey, zkey, base = KEYS[2 * i - 1], KEYS[2 * i], 4 + 5 * (i - 1)
  local b, r, t = touch(hkey, zkey, base, now, xprefix, xttl)
  save(hkey, zkey, base, b, r, t, now, margin)
  out[#out + 1] = b
  out[#out + 1] = r
end
return out
