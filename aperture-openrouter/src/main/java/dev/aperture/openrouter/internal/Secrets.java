package dev.aperture.openrouter.internal;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * What a provider must hide: its key, its extra header values and any credentials in its base URL; and
 * the check that none of them could inject a header.
 */
public final class Secrets {
  /**
   * Values shorter than this are not registered: they cannot be told apart from ordinary text (a header
   * {@code X-Debug: 1} would otherwise mask every "1" of every message), and hold no 8-character secret.
   */
  public static final int MIN_LENGTH = 4;

  private Secrets() {
  }

  /** Adds {@code value} to {@code secrets} if it is long enough to be one. */
  public static void add(List<String> secrets, String value) {
    if (value.length() >= MIN_LENGTH) secrets.add(value);
  }

  /** The user name, password and both together of {@code baseUrl}'s user-info, raw and decoded. */
  public static List<String> ofBaseUrl(String baseUrl) {
    List<String> result = new ArrayList<>();
    HttpUrl url = HttpUrl.parse(baseUrl.trim());
    if (url == null) return result;
    if (!url.encodedUsername().isEmpty() && !url.encodedPassword().isEmpty()) {
      add(result, url.encodedUsername() + ":" + url.encodedPassword());
      add(result, url.username() + ":" + url.password());
    }
    add(result, url.encodedUsername());
    add(result, url.username());
    add(result, url.encodedPassword());
    add(result, url.password());
    return result;
  }

  /**
   * Whether {@code value} holds a control character (CR, LF, NUL, DEL, ...): sent as a header value it
   * would end the header and start another of the sender's choosing.
   */
  public static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  }
}
