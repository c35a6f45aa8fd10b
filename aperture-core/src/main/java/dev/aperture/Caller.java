package dev.aperture;

import java.util.Objects;
import java.util.Set;

/**
 * Who is making a call: the identity that grants are matched against.
 *
 * @param login the caller's login name, such as {@code alice@example.com}; empty for {@link #anonymous()}
 * @param groups group names without the {@code group:} prefix
 * @param tags tag names without the {@code tag:} prefix
 */
public record Caller(String login, Set<String> groups, Set<String> tags) {
  private static final Caller ANONYMOUS = new Caller("", Set.of(), Set.of());

  public Caller {
    Objects.requireNonNull(login, "login == null");
    groups = Set.copyOf(groups);
    tags = Set.copyOf(tags);
  }

  /** A caller with no identity: only grants whose {@code src} is {@code "*"} apply. */
  public static Caller anonymous() {
    return ANONYMOUS;
  }

  /** A caller with a login and no groups or tags. */
  public static Caller of(String login) {
    return new Caller(login, Set.of(), Set.of());
  }

  public boolean isAnonymous() {
    return login.isEmpty();
  }

  /** A copy with these groups (names without {@code group:}). */
  public Caller withGroups(String... groups) {
    return new Caller(login, Set.of(groups), tags);
  }

  /** A copy with these tags (names without {@code tag:}). */
  public Caller withTags(String... tags) {
    return new Caller(login, groups, Set.of(tags));
  }

  @Override
  public String toString() {
    return isAnonymous() ? "Caller{anonymous}" : "Caller{" + login + ", groups=" + groups + ", tags=" + tags + "}";
  }
}
