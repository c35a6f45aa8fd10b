package dev.aperture.config.internal;

import dev.aperture.config.Quota;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@code quotas}: named buckets of money such as {@code "$5.00/day"}. An invalid definition is a
 * hard error (as in Aperture); amounts are parsed exactly into nanodollars, never through floating point.
 */
final class QuotasParser {
  static final List<String> FIELDS = List.of("capacity", "rate", "on_exceed");
  static final List<String> ON_EXCEED = List.of("reject");
  static final List<String> TEMPLATES = List.of(Quota.USER_TEMPLATE, Quota.NODE_TEMPLATE);

  /** Units of {@code rate}; a month is 30 days, as in Aperture. */
  static final Map<String, Duration> RATE_UNITS = Map.of(
      "min", Duration.ofMinutes(1),
      "hour", Duration.ofHours(1),
      "day", Duration.ofDays(1),
      "week", Duration.ofDays(7),
      "month", Duration.ofDays(30));

  private static final Pattern MONEY = Pattern.compile("\\$([0-9]{1,12})(?:\\.([0-9]{1,9}))?");
  private static final Pattern TEMPLATE = Pattern.compile("<[^<>]*>");

  private final Diagnostics diagnostics;

  QuotasParser(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  Map<String, Quota> parse(JsonNode.ObjectNode quotas, String path) {
    Map<String, Quota> result = new LinkedHashMap<>();
    for (JsonNode.Member member : quotas.members().values()) {
      Quota quota = quota(member, JsonPaths.member(path, member.key()));
      if (quota != null) result.put(quota.name(), quota);
    }
    return result;
  }

  private @Nullable Quota quota(JsonNode.Member member, String path) {
    int errorsBefore = diagnostics.errorCount();
    if (member.key().isBlank()) {
      diagnostics.error(path, member.line(), "a quota name must not be empty");
    }
    Matcher templates = TEMPLATE.matcher(member.key());
    while (templates.find()) {
      if (!TEMPLATES.contains(templates.group())) {
        diagnostics.warning(path, member.line(), "unsupported template " + Diagnostics.show(
            templates.group()) + " in the quota name; supported: <user>, <node>. It is kept as "
            + "literal text, so every caller shares the bucket");
      }
    }
    JsonNode.ObjectNode entry = diagnostics.object(member.value(), path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, FIELDS, "quota field");
    Map<String, JsonNode.Member> fields = entry.members();

    Long capacity = null;
    JsonNode.Member capacityMember = fields.get("capacity");
    if (capacityMember == null) {
      diagnostics.error(path, member.line(), "missing required field \"capacity\", such as \"$10.00\"");
    } else {
      String capacityPath = JsonPaths.member(path, "capacity");
      String text = diagnostics.string(capacityMember.value(), capacityPath);
      if (text != null) capacity = nanos(text, capacityPath, capacityMember.value().line(), "capacity");
    }

    Long rate = null;
    Duration period = null;
    JsonNode.Member rateMember = fields.get("rate");
    if (rateMember == null) {
      diagnostics.error(path, member.line(), "missing required field \"rate\", such as \"$5.00/day\"");
    } else {
      String ratePath = JsonPaths.member(path, "rate");
      int line = rateMember.value().line();
      String text = diagnostics.string(rateMember.value(), ratePath);
      if (text != null) {
        int slash = text.indexOf('/');
        if (slash < 0) {
          diagnostics.error(ratePath, line, "a rate is an amount per unit such as \"$5.00/day\"; units: "
              + "min, hour, day, week, month");
        } else {
          rate = nanos(text.substring(0, slash), ratePath, line, "the rate's amount");
          String unit = text.substring(slash + 1);
          period = RATE_UNITS.get(unit);
          if (period == null) {
            String suggestion = Suggestions.nearest(unit, RATE_UNITS.keySet());
            diagnostics.error(ratePath, line, "unknown rate unit " + Diagnostics.show(unit)
                + "; allowed: min, hour, day, week, month"
                + (suggestion != null ? "; did you mean " + JsonPaths.quote(suggestion) + "?" : ""));
          }
        }
      }
    }

    String onExceed = "reject";
    JsonNode.Member onExceedMember = fields.get("on_exceed");
    if (onExceedMember != null) {
      String onExceedPath = JsonPaths.member(path, "on_exceed");
      String text = diagnostics.string(onExceedMember.value(), onExceedPath);
      if (text != null && !ON_EXCEED.contains(text)) {
        diagnostics.error(onExceedPath, onExceedMember.value().line(), "unknown on_exceed "
            + Diagnostics.show(text) + "; allowed: " + String.join(", ", ON_EXCEED));
      } else if (text != null) {
        onExceed = text;
      }
    }

    if (diagnostics.errorCount() > errorsBefore || capacity == null || rate == null || period == null) {
      return null;
    }
    return new Quota(member.key(), capacity, rate, period, onExceed);
  }

  /**
   * {@code "$10.00"} as nanodollars, exactly: up to 9 decimals (a nanodollar), at most $999,999,999,999.
   */
  private @Nullable Long nanos(String text, String path, int line, String what) {
    Long result = parseNanos(text);
    if (result == null) {
      diagnostics.error(path, line, what + " must be a dollar amount such as \"$10.00\" (at most 9 "
          + "decimals), found " + Diagnostics.show(text));
    }
    return result;
  }

  /** {@code "$1.5"} → 1,500,000,000; null when {@code text} is not such an amount. */
  static @Nullable Long parseNanos(String text) {
    Matcher matcher = MONEY.matcher(text);
    if (!matcher.matches()) return null;
    String fraction = matcher.group(2) != null ? matcher.group(2) : "";
    // Integer arithmetic on the digits: "$0.1" is exactly 100,000,000 nanodollars.
    BigDecimal value = new BigDecimal(matcher.group(1) + (fraction.isEmpty() ? "" : "." + fraction));
    return value.movePointRight(9).longValueExact();
  }
}
