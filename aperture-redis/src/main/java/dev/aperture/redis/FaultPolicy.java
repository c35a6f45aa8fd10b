package dev.aperture.redis;

/** What a Redis store does when Redis is unreachable or slower than its command timeout. */
public enum FaultPolicy {
  /**
   * Refuse: the operation throws {@link RedisUnavailableException}. For quotas, the call is refused
   * before any provider is called. Charges of calls already admitted are still journaled and replayed.
   */
  FAIL_CLOSED,

  /**
   * Proceed: a quota reservation is admitted unchecked and its charge is kept in a bounded local
   * journal, replayed when Redis answers again; cooldowns fall back to what this node learnt itself.
   */
  FAIL_OPEN
}
