package dev.aperture;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is making a call: the identity that grants are matched against and that hooks see in their
 * {@code metadata}. Immutable; equal callers share cached access decisions, so keep per-request data
 * (user agent, session) in {@link CallOptions}, not here.
 *
 * <pre>{@code
 * Caller alice = Caller.of("alice@example.com").withGroups("eng");
 * Caller ci = Caller.builder().tags("ci").node("nodeABC123").build();
 * }</pre>
 */
public final class Caller {
  private static final Caller ANONYMOUS = new Caller("", Set.of(), Set.of());

  private final String login;
  private final Set<String> groups;
  private final Set<String> tags;
  private final String node;
  private final String tailnet;
  private final boolean loopback;

  /**
   * @param login the caller's login name, such as {@code alice@example.com}; empty for anonymous
   * @param groups group names without the {@code group:} prefix
   * @param tags tag names without the {@code tag:} prefix
   */
  public Caller(String login, Set<String> groups, Set<String> tags) {
    this(login, groups, tags, "", "", false);
  }

  private Caller(String login, Set<String> groups, Set<String> tags, String node, String tailnet,
      boolean loopback) {
    this.login = Objects.requireNonNull(login, "login == null");
    this.groups = Set.copyOf(groups);
    this.tags = Set.copyOf(tags);
    this.node = Objects.requireNonNull(node, "node == null");
    this.tailnet = Objects.requireNonNull(tailnet, "tailnet == null");
    this.loopback = loopback;
  }

  /** A caller with no identity: only grants whose {@code src} is {@code "*"} apply. */
  public static Caller anonymous() {
    return ANONYMOUS;
  }

  /** A caller with a login and no groups or tags. */
  public static Caller of(String login) {
    return new Caller(login, Set.of(), Set.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.login = login;
    builder.groups = groups;
    builder.tags = tags;
    builder.node = node;
    builder.tailnet = tailnet;
    builder.loopback = loopback;
    return builder;
  }

  /** The login name, such as {@code alice@example.com}; empty when anonymous. */
  public String login() {
    return login;
  }

  /**
   * Group names without the {@code group:} prefix. An entry containing {@code @} is a SCIM group's email
   * (such as {@code eng@example.com}): a grant {@code src} naming that email matches it, as Aperture
   * matches SCIM-synced groups by email.
   */
  public Set<String> groups() {
    return groups;
  }

  /** Tag names without the {@code tag:} prefix. */
  public Set<String> tags() {
    return tags;
  }

  /** The device's stable node id ({@code <node>} in quota names, {@code stable_node_id} for hooks); empty if unknown. */
  public String node() {
    return node;
  }

  /** The tailnet's name ({@code tailnet_name} for hooks); empty if unknown. */
  public String tailnet() {
    return tailnet;
  }

  /**
   * Whether the call comes from the local machine: grants with {@code src} {@code "(loopback)"} match it.
   * An embedding application sets this only for callers it knows are local.
   */
  public boolean isLoopback() {
    return loopback;
  }

  /** Whether the caller has no login. */
  public boolean isAnonymous() {
    return login.isEmpty();
  }

  /** A copy with these groups (names without {@code group:}). */
  public Caller withGroups(String... groups) {
    return newBuilder().groups(Set.of(groups)).build();
  }

  /** A copy with these tags (names without {@code tag:}). */
  public Caller withTags(String... tags) {
    return newBuilder().tags(Set.of(tags)).build();
  }

  /** A copy with this stable node id. */
  public Caller withNode(String node) {
    return newBuilder().node(node).build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Caller that && login.equals(that.login) && groups.equals(that.groups)
        && tags.equals(that.tags) && node.equals(that.node) && tailnet.equals(that.tailnet)
        && loopback == that.loopback;
  }

  @Override
  public int hashCode() {
    return Objects.hash(login, groups, tags, node, tailnet, loopback);
  }

  @Override
  public String toString() {
    return isAnonymous() && node.isEmpty() ? "Caller{anonymous}"
        : "Caller{" + (isAnonymous() ? "anonymous" : login) + ", groups=" + groups + ", tags=" + tags
            + (node.isEmpty() ? "" : ", node=" + node) + (loopback ? ", loopback" : "") + "}";
  }

  /** Builds a {@link Caller}. */
  public static final class Builder {
    private String login = "";
    private Set<String> groups = Set.of();
    private Set<String> tags = Set.of();
    private String node = "";
    private String tailnet = "";
    private boolean loopback;

    Builder() {
    }

    public Builder login(String login) {
      this.login = Objects.requireNonNull(login, "login == null");
      return this;
    }

    public Builder groups(Set<String> groups) {
      this.groups = Set.copyOf(groups);
      return this;
    }

    public Builder tags(Set<String> tags) {
      this.tags = Set.copyOf(tags);
      return this;
    }

    public Builder tags(String... tags) {
      return tags(Set.of(tags));
    }

    public Builder node(String node) {
      this.node = Objects.requireNonNull(node, "node == null");
      return this;
    }

    public Builder tailnet(String tailnet) {
      this.tailnet = Objects.requireNonNull(tailnet, "tailnet == null");
      return this;
    }

    /** Whether the caller is on the local machine; see {@link Caller#isLoopback()}. */
    public Builder loopback(boolean loopback) {
      this.loopback = loopback;
      return this;
    }

    public Caller build() {
      return new Caller(login, groups, tags, node, tailnet, loopback);
    }
  }
}
