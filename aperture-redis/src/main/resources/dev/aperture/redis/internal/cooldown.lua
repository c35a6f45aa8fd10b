-- KEYS: cooling, probe-needed, probe-claim. ARGV: cooldown ms, probe-needed ms.
-- One round trip: the route cools for ARGV[1], then needs a probe; an old claim no longer counts.
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
redis.call('DEL', KEYS[3])
return 1
