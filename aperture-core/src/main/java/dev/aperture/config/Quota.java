package dev.aperture.config;

import dev.aperture.Caller;
import dev.aperture.Money;
import dev.aperture.QuotaBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One entry of {@code quotas}: a bucket of money, such as
 * {@code "daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day", "on_exceed": "reject"}}. It starts
 * full at {@code capacity} and refills by {@code rate} per period up to capacity. Amounts are parsed
 * exactly into integer nanodollars ($1 = 1,000,000,000); {@code "$0.00"} is a valid capacity that refuses
 * every call it applies to.
 *
 * @param name the configured name; {@code <user>} and {@code <node>} expand per caller
 * @param capacityNanos the bucket's size
 * @param rateNanos what is added per {@code ratePeriod}
 * @param ratePeriod the rate's unit: a minute, hour, day, week or month (30 days)
 * @param onExceed what happens when the bucket is empty: {@code reject}, the only value Aperture has
 */
public record Quota(String name, long capacityNanos, long rateNanos, Duration ratePeriod,
    String onExceed) {
  /** The template that expands to the caller's login (or, for a tagged device, its tags). */
  public static final String USER_TEMPLATE = "<user>";
  /** The template that expands to the caller's stable node id. */
  public static final String NODE_TEMPLATE = "<node>";

  public Quota {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(ratePeriod, "ratePeriod == null");
    Objects.requireNonNull(onExceed, "onExceed == null");
    if (capacityNanos < 0) throw new IllegalArgumentException("capacityNanos < 0");
    if (rateNanos < 0) throw new IllegalArgumentException("rateNanos < 0");
    if (ratePeriod.isNegative() || ratePeriod.isZero()) {
      throw new IllegalArgumentException("ratePeriod must be positive");
    }
  }

  /** Whether the name has a template, so each caller (or node) gets a bucket of its own. */
  public boolean isPerCaller() {
    return name.contains(USER_TEMPLATE) || name.contains(NODE_TEMPLATE);
  }

  /** The bucket {@code caller} is charged to: this definition with the name's templates expanded. */
  public QuotaBucket bucketFor(Caller caller) {
    return new QuotaBucket(expandName(name, caller), name, capacityNanos, rateNanos, ratePeriod);
  }

  /**
   * {@code template} with {@code <user>} replaced by {@link #userOf(Caller)} and {@code <node>} by
   * {@link Caller#node()}.
   */
  public static String expandName(String template, Caller caller) {
    String result = template;
    if (result.contains(USER_TEMPLATE)) result = result.replace(USER_TEMPLATE, userOf(caller));
    if (result.contains(NODE_TEMPLATE)) result = result.replace(NODE_TEMPLATE, caller.node());
    return result;
  }

  /**
   * What {@code <user>} stands for: the caller's login; for a caller without one (a tagged device), its
   * tags as {@code tag:a,tag:b} in sorted order, so one device set always charges one bucket; empty for a
   * caller with neither.
   */
  public static String userOf(Caller caller) {
    if (!caller.login().isEmpty()) return caller.login();
    List<String> tags = new ArrayList<>();
    for (String tag : new TreeSet<>(caller.tags())) tags.add("tag:" + tag);
    return String.join(",", tags);
  }

  @Override
  public String toString() {
    return "Quota{" + name + ", capacity=" + Money.format(capacityNanos) + ", rate="
        + Money.format(rateNanos) + "/" + ratePeriod + ", on_exceed=" + onExceed + "}";
  }
}
