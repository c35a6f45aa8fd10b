package dev.aperture.config;

import dev.aperture.Redactor;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What counts as a secret in a configuration, and how it is hidden. */
final class Secrets {
  /**
   * Shorter values are not registered with a redactor: masking every {@code x} of a message because a
   * header value is {@code x} would hide more than it protects, and nothing that short is a credential.
   */
  static final int MIN_SECRET_LENGTH = 4;

  private Secrets() {
  }

  /** A redactor for {@code secrets}, leaving out values too short to be credentials. */
  static Redactor redactor(Collection<String> secrets) {
    List<String> kept = new ArrayList<>();
    for (String secret : secrets) {
      if (secret.length() >= MIN_SECRET_LENGTH) kept.add(secret);
    }
    return Redactor.of(kept);
  }

  /**
   * The credentials in {@code url}'s user info: the whole {@code user:password} as written and decoded,
   * and the password alone (it may be quoted without the user). Empty when there are none.
   */
  static List<String> userInfo(String url) {
    List<String> result = new ArrayList<>();
    String raw = rawUserInfo(url);
    if (raw == null || raw.isEmpty()) return result;
    result.add(raw);
    String decoded = decode(raw);
    result.add(decoded);
    int colon = raw.indexOf(':');
    if (colon >= 0) {
      result.add(raw.substring(colon + 1));
      result.add(decode(raw.substring(colon + 1)));
    }
    return result;
  }

  /** {@code url} with its user info replaced by {@code <redacted>}. */
  static String hideUserInfo(String url) {
    return url.replaceAll("(?<=://)[^/?#]*@", Redactor.MASK + "@");
  }

  private static @org.jspecify.annotations.Nullable String rawUserInfo(String url) {
    try {
      String userInfo = new URI(url).getRawUserInfo();
      if (userInfo != null) return userInfo;
    } catch (Exception e) {
      // Not a URI: fall back to the text between "://" and '@'.
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) return null;
    int end = url.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = url.indexOf(c, scheme + 3);
      if (i >= 0 && i < end) end = i;
    }
    int at = url.lastIndexOf('@', end - 1);
    return at > scheme ? url.substring(scheme + 3, at) : null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
