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

/** Validates {@code quotas}: named token buckets of money such as {@code "$5.00/day"}. */
final class QuotasParser {
  static final List<String> FIELDS = List.of("capacity", "rate", "on_exceed");
  static final List<String> ON_EXCEED = List.of("reject");

  /** Units of {@code rate}; a month is 30 days, as in Aperture. */
  static final Map<String, Duration> RATE_UNITS = Map.of(
      "min", Duration.ofMinutes(1),
      "hour", Duration.ofHours(1),
      "day", Duration.ofDays(1),
      "week", Duration.ofDays(7),
      "month", Duration.ofDays(30));

  private static final Pattern MONEY = Pattern.compile("\\$([0-9]{1,15}(?:\\.[0-9]{1,10})?)");
  private static final Pattern RATE = Pattern.compile("(\\$[^/]*)/(.*)");

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
    JsonNode.ObjectNode entry = diagnostics.object(member.value(), path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, FIELDS, "quota field");
    Map<String, JsonNode.Member> fields = entry.members();

    BigDecimal capacity = null;
    JsonNode.Member capacityMember = fields.get("capacity");
    if (capacityMember == null) {
      diagnostics.error(path, member.line(), "missing required field \"capacity\", such as \"$10.00\"");
    } else {
      String capacityPath = JsonPaths.member(path, "capacity");
      capacity = money(capacityMember.value(), capacityPath, "capacity");
      if (capacity != null && capacity.signum() == 0) {
        diagnostics.error(capacityPath, capacityMember.value().line(), "capacity must be more than $0");
      }
    }

    BigDecimal rate = null;
    Duration period = null;
    JsonNode.Member rateMember = fields.get("rate");
    if (rateMember == null) {
      diagnostics.error(path, member.line(), "missing required field \"rate\", such as \"$5.00/day\"");
    } else {
      JsonNode node = rateMember.value();
      String ratePath = JsonPaths.member(path, "rate");
      String text = diagnostics.string(node, ratePath);
      if (text != null) {
        Matcher matcher = RATE.matcher(text);
        if (!matcher.matches()) {
          diagnostics.error(ratePath, node.line(), "expected an amount per unit such as \"$5.00/day\", "
              + "found " + JsonPaths.quote(Diagnostics.abbreviate(text)));
        } else {
          rate = money(matcher.group(1), ratePath, node.line(), "rate");
          period = RATE_UNITS.get(matcher.group(2));
          if (period == null) {
            diagnostics.error(ratePath, node.line(), "unknown rate unit " + JsonPaths.quote(
                Diagnostics.abbreviate(matcher.group(2))) + "; allowed: min, hour, day, week, month");
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
            + JsonPaths.quote(Diagnostics.abbreviate(text)) + "; allowed: " + String.join(", ", ON_EXCEED));
      } else if (text != null) {
        onExceed = text;
      }
    }

    if (diagnostics.errorCount() > errorsBefore || capacity == null || rate == null || period == null) {
      return null;
    }
    return new Quota(member.key(), capacity, rate, period, onExceed);
  }

  private @Nullable BigDecimal money(JsonNode node, String path, String what) {
    String text = diagnostics.string(node, path);
    return text != null ? money(text, path, node.line(), what) : null;
  }

  private @Nullable BigDecimal money(String text, String path, int line, String what) {
    Matcher matcher = MONEY.matcher(text);
    if (!matcher.matches()) {
      diagnostics.error(path, line, what + " must be a dollar amount such as \"$10.00\", found "
          + JsonPaths.quote(Diagnostics.abbreviate(text)));
      return null;
    }
    return new BigDecimal(matcher.group(1));
  }
}
