package dev.aperture.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * One entry of {@code quotas}: a token bucket of money, such as
 * {@code "daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day", "on_exceed": "reject"}}. Parsed and
 * validated now; enforced by a later version.
 *
 * @param name the bucket's name; {@code <user>} expands per caller
 * @param capacity the bucket's size in dollars
 * @param rate dollars added per {@code ratePeriod}
 * @param onExceed what happens when the bucket is empty, such as {@code reject}
 */
public record Quota(String name, BigDecimal capacity, BigDecimal rate, Duration ratePeriod,
    String onExceed) {
}
