-- Shared by every quota script. Redis Lua numbers are doubles: every value below stays an integer
-- under 2^53, so every operation on it is exact (see RefillMath for the bounds the Java side checks).
--
-- A bucket is two keys: a hash {b = balance, r = reserved, t = last refill in microseconds of Redis
-- TIME, e:<id> = estimate of each reservation} and a sorted set of reservation ids scored by the
-- millisecond at which they expire (their holder died). An expired reservation is charged its estimate
-- (its holder most likely called the provider before dying) and leaves a marker <ns>:qx:<id> holding
-- that estimate, so a late settle charges only actual - estimate and a late release refunds it.
-- Per bucket, ARGV holds five numbers from `base` on: capacity, qa, a, den, msPerNano (see refill).

local function fmt(n)
  return string.format('%.0f', n)
end

local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

-- What `e` microseconds of refill add, exactly QuotaBucket.refillFor(e * 1000):
-- floor(num * e / den) capped at cap, where num / den is rate * 1000 / period (nanoseconds) in lowest
-- terms and num = qa * den + a. Long multiplication bit by bit keeps q * den + r == num * (e's bits so
-- far) with r < den < 2^51 and q <= cap < 2^51, so nothing ever leaves the exact range of a double.
local function refill_amount(e, cap, qa, a, den)
  if e <= 0 or (qa == 0 and a == 0) then return 0 end
  local bits = {}
  local n = e
  while n > 0 do
    local bit = n % 2
    bits[#bits + 1] = bit
    n = (n - bit) / 2
  end
  local q, r = 0, 0
  for i = #bits, 1, -1 do
    q = q * 2
    r = r * 2
    if r >= den then r = r - den; q = q + 1 end
    if bits[i] == 1 then
      q = q + qa
      r = r + a
      if r >= den then r = r - den; q = q + 1 end
    end
    -- q only grows from here on: once at capacity, the answer is capacity.
    if q >= cap then return cap end
  end
  return q
end

local function params(base)
  return tonumber(ARGV[base]), tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]),
      tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
end

-- Reads a bucket refilled to `now`, with the reservations of dead holders expired: each one's estimate
-- leaves `r` and is charged to `b`, and the marker xprefix .. id (the estimate, for xttl ms) records it.
-- (Those marker keys are not in KEYS: the ids are only known here.)
local function touch(hkey, zkey, base, now, xprefix, xttl)
  local cap, qa, a, den = params(base)
  local st = redis.call('HMGET', hkey, 'b', 'r', 't')
  local b, r, t
  if not st[1] then
    -- Never seen, or expired after outliving a full refill: full either way.
    b, r, t = cap, 0, now
  else
    b, r, t = tonumber(st[1]), tonumber(st[2]) or 0, tonumber(st[3]) or now
  end
  if now > t then
    b = b + refill_amount(now - t, cap, qa, a, den)
    t = now
  end
  -- A definition edited down caps the balance.
  if b > cap then b = cap end
  local nowms = math.floor(now / 1000)
  local dead = redis.call('ZRANGEBYSCORE', zkey, '-inf', nowms)
  if #dead > 0 then
    for _, id in ipairs(dead) do
      local est = redis.call('HGET', hkey, 'e:' .. id)
      if est then
        est = tonumber(est)
        r = r - est
        b = b - est
        redis.call('HDEL', hkey, 'e:' .. id)
        redis.call('SET', xprefix .. id, fmt(est), 'PX', xttl)
      end
    end
    redis.call('ZREMRANGEBYSCORE', zkey, '-inf', nowms)
  end
  return b, r, t
end

-- Writes a bucket back with a TTL that outlives both its full refill and its last reservation plus the
-- refill of everything reserved (charged if it expires), so a key that expires is exactly a full bucket
-- with nothing reserved. A bucket that never refills (msPerNano < 0) never expires.
local function save(hkey, zkey, base, b, r, t, now, margin)
  local cap, _, _, _, msPerNano = params(base)
  redis.call('HSET', hkey, 'b', fmt(b), 'r', fmt(r), 't', fmt(t))
  if msPerNano < 0 then
    redis.call('PERSIST', hkey)
    redis.call('PERSIST', zkey)
    return
  end
  local ttl = math.ceil((cap - b) * msPerNano) + margin
  local last = redis.call('ZRANGE', zkey, -1, -1, 'WITHSCORES')
  if #last == 2 then
    local until_last = tonumber(last[2]) - math.floor(now / 1000) + math.ceil((cap - b + r) * msPerNano)
        + margin
    if until_last > ttl then ttl = until_last end
  end
  redis.call('PEXPIRE', hkey, fmt(ttl))
  redis.call('PEXPIRE', zkey, fmt(ttl))
end
