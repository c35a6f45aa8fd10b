package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.QuotaBucket;
import dev.aperture.redis.internal.BucketArgs;
import dev.aperture.redis.internal.QuotaScripts;
import dev.aperture.redis.internal.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The script's refill, run by Redis's own Lua, against {@link QuotaBucket#refillFor}. */
final class RefillArithmeticTest {
  private static final String BODY = """
      local out = {}
      for i = 1, #ARGV, 5 do
        out[#out + 1] = refill_amount(tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]),
            tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4]))
      end
      return out
      """;

  @Test
  void luaRefillIsExactlyRefillForEvenWhereRateTimesElapsedIsFarAboveTwoToThe53() {
    Random random = new Random(12);
    List<QuotaBucket> buckets = new ArrayList<>();
    List<Long> elapsedMicros = new ArrayList<>();
    Duration[] periods = {Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7),
        Duration.ofDays(30), Duration.ofNanos(1_000), Duration.ofNanos(123_457_000L), Duration.ofDays(365L * 70)};
    // Edge cases first: $5/day over a day (rate × elapsed ≈ 4.3e23), a bucket at the 2^51 limit, tiny steps.
    add(buckets, elapsedMicros, new QuotaBucket("a", "a", 10_000_000_000L, 5_000_000_000L, Duration.ofDays(1)),
        86_400_000_000L);
    add(buckets, elapsedMicros, new QuotaBucket("b", "b", BucketArgs.LIMIT - 1, Long.MAX_VALUE / 1000,
        Duration.ofDays(30)), 1L << 50);
    add(buckets, elapsedMicros, new QuotaBucket("c", "c", 0, 5, Duration.ofDays(1)), 1_000_000);
    add(buckets, elapsedMicros, new QuotaBucket("d", "d", 1_000, 1, Duration.ofDays(30)), 1);
    add(buckets, elapsedMicros, new QuotaBucket("e", "e", 1_000, 0, Duration.ofDays(30)), 1L << 40);
    while (buckets.size() < 2_000) {
      long capacity = (long) Math.pow(2, random.nextDouble() * 51) - 1;
      long rate = (long) Math.pow(10, random.nextDouble() * 15);
      Duration period = periods[random.nextInt(periods.length)];
      long elapsed = (long) Math.pow(2, random.nextDouble() * 50);
      QuotaBucket bucket = new QuotaBucket("r", "r", Math.max(0, capacity), rate, period);
      try {
        BucketArgs.exact(bucket);
      } catch (IllegalArgumentException outOfRange) {
        continue;
      }
      add(buckets, elapsedMicros, bucket, elapsed);
    }

    List<String> args = new ArrayList<>();
    for (int i = 0; i < buckets.size(); i++) {
      long[] exact = BucketArgs.exact(buckets.get(i));
      args.add(Long.toString(elapsedMicros.get(i)));
      for (long value : exact) args.add(Long.toString(value));
    }
    List<?> answers;
    try (RedisClient redis = RedisClient.create(java.net.URI.create(RedisServer.sharedUrl()))) {
      answers = (List<?>) redis.eval(Script.resource(QuotaScripts.LIBRARY) + "\n" + BODY, List.of(), args);
    }

    long bigProducts = 0;
    for (int i = 0; i < buckets.size(); i++) {
      QuotaBucket bucket = buckets.get(i);
      long elapsedNanos = elapsedMicros.get(i) * 1000;
      assertThat((Long) answers.get(i))
          .as("refill of %s after %d µs", bucket, elapsedMicros.get(i))
          .isEqualTo(bucket.refillFor(elapsedNanos));
      if (Math.log(bucket.rateNanos() + 1.0) / Math.log(2) + Math.log(elapsedNanos) / Math.log(2) > 53) bigProducts++;
    }
    // The comparison means something only if many products leave a double's exact range.
    assertThat(bigProducts).isGreaterThan(500);
  }

  @Test
  void aBucketTheScriptCannotKeepExactIsRejectedWithItsName() {
    QuotaBucket huge = new QuotaBucket("team", "team", BucketArgs.LIMIT, 1, Duration.ofDays(1));
    assertThatThrownBy(() -> BucketArgs.exact(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quota 'team'")
        .hasMessageContaining("capacity");
    QuotaBucket odd = new QuotaBucket("odd", "odd", 100, 7, Duration.ofNanos(Long.MAX_VALUE - 1));
    assertThatThrownBy(() -> BucketArgs.exact(odd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quota 'odd'");
  }

  private static void add(List<QuotaBucket> buckets, List<Long> elapsed, QuotaBucket bucket, long micros) {
    buckets.add(bucket);
    elapsed.add(micros);
  }
}
