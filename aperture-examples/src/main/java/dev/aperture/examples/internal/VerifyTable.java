package dev.aperture.examples.internal;

import dev.aperture.AccessDeniedException;
import dev.aperture.ApertureException;
import dev.aperture.AuthenticationException;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ModerationException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.RateLimitedException;
import dev.aperture.StreamException;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.VerifyResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Renders {@link VerifyResult}s as the table the verify command prints. */
public final class VerifyTable {
  private static final int MAX_REASON = 160;

  private VerifyTable() {
  }

  public static String render(List<VerifyResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MODEL", "PROVIDER", "", "LATENCY", "REASON"});
    int failed = 0;
    for (VerifyResult result : results) {
      if (!result.ok()) failed++;
      rows.add(new String[] {
          result.model(),
          result.providerId() != null ? result.providerId() : "-",
          result.ok() ? "✓" : "✗",
          result.latency().toMillis() + " ms",
          result.ok() ? "" : reason(result)});
    }
    int[] widths = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i == row.length - 1) {
          line.append(row[i]);
        } else if (i == 3) { // Latency: right-aligned.
          line.append(" ".repeat(widths[i] - row[i].length())).append(row[i]).append("  ");
        } else {
          line.append(row[i]).append(" ".repeat(widths[i] - row[i].length())).append("  ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    out.append(results.size()).append(results.size() == 1 ? " model, " : " models, ")
        .append(results.size() - failed).append(" ok, ").append(failed).append(" failed\n");
    return out.toString();
  }

  /** One line: the kind of failure, then the Router's reason. */
  public static String reason(VerifyResult result) {
    String detail = result.reason() != null ? result.reason()
        : result.error() != null && result.error().getMessage() != null ? result.error().getMessage() : "failed";
    String kind = kind(result.error());
    String line = kind != null && !detail.startsWith(kind) ? kind + ": " + detail : detail;
    line = line.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 1) + "…";
  }

  private static @Nullable String kind(@Nullable ApertureException error) {
    if (error instanceof AuthenticationException) return "bad key";
    if (error instanceof InsufficientCreditsException) return "no credits";
    if (error instanceof ModelNotFoundException) return "unknown model";
    if (error instanceof AccessDeniedException) return "not granted";
    if (error instanceof ProviderConnectionException e) return e.timedOut() ? "timed out" : "unreachable";
    if (error instanceof RateLimitedException) return "rate limited";
    if (error instanceof ModerationException) return "refused by moderation";
    if (error instanceof UnsupportedApiFormatException) return "unsupported format";
    if (error instanceof StreamException) return "stream failed";
    return null;
  }
}
