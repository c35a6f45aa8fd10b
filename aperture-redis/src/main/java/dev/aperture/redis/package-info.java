/**
 * Quota balances and route cooldowns shared by every instance of an application, on Redis.
 *
 * <p>Build a {@link dev.aperture.redis.RedisQuotaStore} and a {@link dev.aperture.redis.RedisCooldownStore}
 * and register them on {@code Router.builder().quotaStore(...).cooldownStore(...)}; Aperture's
 * configuration file has no Redis key, so the stores are chosen in code.
 */
@NullMarked
package dev.aperture.redis;

import org.jspecify.annotations.NullMarked;
