package dev.aperture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the grants resolve to for one caller and one {@code provider/model}: whether the call may go
 * ahead (and why not), the caller's role, the quota buckets to charge (templates expanded), the hooks to
 * call (events and {@code send} lists unioned per hook), the extra upstream headers, and the custom
 * capabilities hooks may ask for. The Router computes one per (caller, model) and caches it; the
 * governance stages of the call consume it.
 *
 * <p>Header values may be secrets: {@link #toString()} names headers, never their values.
 */
public final class AccessDecision {
  private static final AccessDecision ALLOW_ALL = builder().allowed(true).role(AccessRole.USER).build();

  /** Why a call was refused. */
  public enum Denial {
    /** No matching grant gives this model. Answered as "not found" so nothing reveals which models exist. */
    NOT_GRANTED,
    /** Some grant gives the model, but no matching grant gives the caller a role (Aperture answers 403). */
    NO_ROLE,
    /** The configuration has no grants at all. */
    NO_GRANTS
  }

  private final boolean allowed;
  private final @Nullable Denial denial;
  private final @Nullable AccessRole role;
  private final List<QuotaBucket> quotaBuckets;
  private final Map<String, HookBinding> hooks;
  private final List<Header> headers;
  private final Map<String, List<Object>> customCapabilities;

  private AccessDecision(Builder builder) {
    this.allowed = builder.allowed;
    this.denial = builder.allowed ? null : (builder.denial != null ? builder.denial : Denial.NOT_GRANTED);
    this.role = builder.role;
    // One bucket per expanded name: a call matching several grants that name it is charged once per bucket.
    Map<String, QuotaBucket> buckets = new LinkedHashMap<>();
    for (QuotaBucket bucket : builder.quotaBuckets) buckets.putIfAbsent(bucket.name(), bucket);
    this.quotaBuckets = List.copyOf(buckets.values());
    this.hooks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.hooks));
    this.headers = List.copyOf(builder.headers);
    Map<String, List<Object>> custom = new LinkedHashMap<>();
    builder.customCapabilities.forEach((k, v) -> custom.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    this.customCapabilities = Collections.unmodifiableMap(custom);
  }

  /** Allowed, role {@code user}, nothing to charge, no hooks, no headers: what {@link AccessPolicy#allowAll()} gives. */
  public static AccessDecision allowAll() {
    return ALLOW_ALL;
  }

  /** Refused for {@code denial}. */
  public static AccessDecision denied(Denial denial) {
    return builder().allowed(false).denial(denial).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.allowed = allowed;
    builder.denial = denial;
    builder.role = role;
    builder.quotaBuckets.addAll(quotaBuckets);
    builder.hooks.putAll(hooks);
    builder.headers.addAll(headers);
    customCapabilities.forEach((k, v) -> builder.customCapabilities.put(k, new ArrayList<>(v)));
    return builder;
  }

  public boolean allowed() {
    return allowed;
  }

  /** Why the call is refused; null when allowed. */
  public @Nullable Denial denial() {
    return denial;
  }

  /** The caller's role from any matching grant (admin wins), or null if none gives one. */
  public @Nullable AccessRole role() {
    return role;
  }

  /**
   * The quota buckets to charge, fully resolved: names with {@code <user>} and {@code <node>} expanded,
   * capacity and rate in nanodollars, in grant order, one per expanded name. Every one must have a
   * positive balance before the call, and the call's cost is charged to all of them.
   */
  public List<QuotaBucket> quotaBuckets() {
    return quotaBuckets;
  }

  /** The hooks to call, by hook name, in grant order (the hook stage orders them by preference). */
  public Map<String, HookBinding> hooks() {
    return hooks;
  }

  /** Extra upstream headers from matching capabilities' {@code add_headers}, in grant order. */
  public List<Header> headers() {
    return headers;
  }

  /**
   * Capability keys other than {@code tailscale.com/cap/aperture} of the matching grants, each with the
   * JSON-like values of every matching grant: what hooks receive as {@code metadata.grants}.
   */
  public Map<String, List<Object>> customCapabilities() {
    return customCapabilities;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AccessDecision that && allowed == that.allowed && denial == that.denial
        && role == that.role && quotaBuckets.equals(that.quotaBuckets) && hooks.equals(that.hooks)
        && headers.equals(that.headers) && customCapabilities.equals(that.customCapabilities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowed, denial, role, quotaBuckets, hooks, headers, customCapabilities);
  }

  @Override
  public String toString() {
    if (!allowed) return "AccessDecision{denied: " + denial + "}";
    return "AccessDecision{allowed, role=" + role + ", quotas="
        + quotaBuckets.stream().map(QuotaBucket::name).toList() + ", hooks=" + hooks.values()
        + ", headers=" + headers + ", custom=" + customCapabilities.keySet() + "}";
  }

  /** The role a grant gives. */
  public enum AccessRole {
    USER,
    ADMIN
  }

  /** Post-request and pre-request moments a hook can be wired to, with Aperture's wire names. */
  public enum HookEvent {
    PRE_REQUEST("pre_request"),
    ENTIRE_REQUEST("entire_request"),
    TOOL_CALL_ENTIRE_REQUEST("tool_call_entire_request");

    private final String wireName;

    HookEvent(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static @Nullable HookEvent fromWireName(String name) {
      for (HookEvent event : values()) if (event.wireName.equals(name)) return event;
      return null;
    }
  }

  /**
   * One hook as the matching grants wire it: its name, and the union of their {@code events} and
   * {@code send} lists ({@code request_body}, {@code user_message}, {@code response_body},
   * {@code raw_responses}, {@code tools}, {@code grants}, {@code estimated_cost}, {@code quotas}).
   */
  public record HookBinding(String name, Set<HookEvent> events, Set<String> send) {
    public HookBinding {
      Objects.requireNonNull(name, "name == null");
      events = Collections.unmodifiableSet(new LinkedHashSet<>(events));
      send = Collections.unmodifiableSet(new LinkedHashSet<>(send));
    }

    /** This binding and {@code other} (the same hook) unioned. */
    public HookBinding union(HookBinding other) {
      Set<HookEvent> e = new LinkedHashSet<>(events);
      e.addAll(other.events);
      Set<String> s = new LinkedHashSet<>(send);
      s.addAll(other.send);
      return new HookBinding(name, e, s);
    }
  }

  /** One extra upstream header. Its value is never shown by {@code toString()}: it may be a secret. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String toString() {
      return name + ": <redacted>";
    }
  }

  /** Builds an {@link AccessDecision}. */
  public static final class Builder {
    private boolean allowed;
    private @Nullable Denial denial;
    private @Nullable AccessRole role;
    private final List<QuotaBucket> quotaBuckets = new ArrayList<>();
    private final Map<String, HookBinding> hooks = new LinkedHashMap<>();
    private final List<Header> headers = new ArrayList<>();
    private final Map<String, List<Object>> customCapabilities = new LinkedHashMap<>();

    Builder() {
    }

    public Builder allowed(boolean allowed) {
      this.allowed = allowed;
      return this;
    }

    public Builder denial(Denial denial) {
      this.denial = Objects.requireNonNull(denial, "denial == null");
      return this;
    }

    public Builder role(@Nullable AccessRole role) {
      this.role = role;
      return this;
    }

    /** Adds a bucket to charge; a second bucket with the same name is ignored. */
    public Builder addQuotaBucket(QuotaBucket bucket) {
      quotaBuckets.add(Objects.requireNonNull(bucket, "bucket == null"));
      return this;
    }

    /** Adds {@code binding}, unioned with any binding of the same hook already added. */
    public Builder addHook(HookBinding binding) {
      hooks.merge(binding.name(), binding, HookBinding::union);
      return this;
    }

    public Builder addHeader(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    public Builder addCustomCapability(String key, Object value) {
      customCapabilities.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      return this;
    }

    public AccessDecision build() {
      return new AccessDecision(this);
    }
  }
}
