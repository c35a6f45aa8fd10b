package dev.aperture.gateway.internal;

import dev.aperture.Caller;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The caller a request names through the fronting proxy's identity headers. */
public final class Identity {
  private static final System.Logger LOG = System.getLogger(Identity.class.getName());

  public static final String LOGIN_HEADER = "Tailscale-User-Login";
  public static final String GROUPS_HEADER = "Aperture-User-Groups";
  public static final String TAGS_HEADER = "Aperture-User-Tags";

  private Identity() {
  }

  /** The request names its caller more than one way; the gateway will not guess which is real. */
  public static final class AmbiguousIdentityException extends Exception {
    AmbiguousIdentityException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The identity the fronting proxy vouches for, or anonymous. Group and tag headers count only when
   * {@code trustGroupsAndTags}; otherwise they are ignored, since a client may have set them itself.
   */
  public static Caller caller(HttpHeaders headers, boolean trustGroupsAndTags) throws AmbiguousIdentityException {
    String login = single(headers, LOGIN_HEADER);
    if (login != null && login.contains(",")) {
      // A proxy that appends to the client's header can fold both into one comma-separated line.
      throw new AmbiguousIdentityException("the " + LOGIN_HEADER + " header names more than one caller");
    }
    String groups = null;
    String tags = null;
    if (trustGroupsAndTags) {
      groups = single(headers, GROUPS_HEADER);
      tags = single(headers, TAGS_HEADER);
    } else if (headers.contains(GROUPS_HEADER) || headers.contains(TAGS_HEADER)) {
      LOG.log(System.Logger.Level.DEBUG, () -> "ignoring " + GROUPS_HEADER + "/" + TAGS_HEADER
          + ": the gateway was not told to trust them");
    }
    if (login == null || login.isBlank()) return Caller.anonymous();
    return new Caller(login.strip(), names(groups, "group:"), names(tags, "tag:"));
  }

  private static @Nullable String single(HttpHeaders headers, String name) throws AmbiguousIdentityException {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) return null;
    if (values.size() > 1) {
      throw new AmbiguousIdentityException("the request has " + values.size() + " " + name
          + " headers; an identity header must appear once");
    }
    return values.get(0);
  }

  private static Set<String> names(@Nullable String header, String prefix) {
    Set<String> result = new LinkedHashSet<>();
    if (header == null) return result;
    for (String name : header.split(",")) {
      String trimmed = name.strip();
      if (trimmed.startsWith(prefix)) trimmed = trimmed.substring(prefix.length());
      if (!trimmed.isEmpty()) result.add(trimmed);
    }
    return result;
  }
}
