package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.Route;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.Grant;
import dev.aperture.config.Hook;
import dev.aperture.config.ProviderConfig;
import dev.aperture.config.Quota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Aperture's grants: deny by default, additive, allow-only. A caller's effective access is the union of
 * every grant whose {@code src} names it ({@code *}, its login, one of its {@code group:}s or SCIM group
 * emails, one of its {@code tag:}s, {@code (loopback)}):
 *
 * <ul>
 *   <li>The model must match a {@code models} glob of some matching capability, else the call is
 *       {@link AccessDecision.Denial#NOT_GRANTED} (answered as "not found").
 *   <li>The caller needs a role from <em>any</em> matching grant (admin beats user), else
 *       {@link AccessDecision.Denial#NO_ROLE}, even with model grants.
 *   <li>A capability's {@code quotas}, {@code send_hooks} and {@code add_headers} apply to calls to the
 *       models it matches; a capability without {@code models} (floating) applies them to every model the
 *       caller reaches. Hooks named by several capabilities are unioned.
 *   <li>Custom capabilities (keys other than {@code tailscale.com/cap/aperture}) of every matching grant
 *       are handed on for hooks.
 * </ul>
 *
 * <p>SCIM groups: a {@link Caller#groups()} entry containing {@code @} is a SCIM group's email, matched
 * by a {@code src} that is that email.
 *
 * <p>Grants are indexed by source, so a decision looks only at the grants that name the caller; decisions
 * are cached per caller and route (bounded), so a hot path costs two hash lookups however many grants
 * exist.
 */
public final class GrantsPolicy implements AccessPolicy {
  private static final int MAX_CACHED_CALLERS = 4096;
  private static final int MAX_CACHED_ROUTES_PER_CALLER = 65_536;

  private final List<CompiledGrant> everyone = new ArrayList<>();
  private final List<CompiledGrant> loopback = new ArrayList<>();
  /** Logins and SCIM group emails: both are written as the bare identity in {@code src}. */
  private final Map<String, List<CompiledGrant>> byIdentity = new HashMap<>();
  private final Map<String, List<CompiledGrant>> byGroup = new HashMap<>();
  private final Map<String, List<CompiledGrant>> byTag = new HashMap<>();
  private final boolean noGrants;
  private final boolean empty;
  private final ConcurrentHashMap<Caller, ConcurrentHashMap<String, AccessDecision>> decisions =
      new ConcurrentHashMap<>();

  /** A policy over {@code grants} alone: quota buckets named by grants cannot be resolved and are left out. */
  public GrantsPolicy(List<Grant> grants) {
    this(grants, Map.of(), null);
  }

  /**
   * A policy over the configuration's grants, resolving quota buckets from its {@code quotas} and leaving
   * out hooks that are disabled or unusable (they are never called).
   */
  public GrantsPolicy(ApertureConfig config) {
    this(config.grants(), config.quotas(), config.hooks());
  }

  private GrantsPolicy(List<Grant> grants, Map<String, Quota> quotas,
      @Nullable Map<String, Hook> hooks) {
    boolean any = false;
    for (int i = 0; i < grants.size(); i++) {
      Grant grant = grants.get(i);
      CompiledGrant compiled = CompiledGrant.compile(i, grant, quotas, hooks);
      boolean indexed = false;
      for (String source : grant.sources()) {
        List<CompiledGrant> target = targetFor(source);
        // Anything else (blank, whitespace, an unsupported form) names nobody: it must not widen access.
        if (target != null && !target.contains(compiled)) {
          target.add(compiled);
          indexed = true;
        }
      }
      if (indexed && compiled.grantsAnyModel()) any = true;
    }
    this.noGrants = grants.isEmpty();
    this.empty = !any;
  }

  private @Nullable List<CompiledGrant> targetFor(String source) {
    if (source.equals("*")) return everyone;
    if (source.equals("(loopback)")) return loopback;
    if (source.startsWith("group:")) {
      String name = source.substring("group:".length());
      return isName(name) ? byGroup.computeIfAbsent(name, k -> new ArrayList<>()) : null;
    }
    if (source.startsWith("tag:")) {
      String name = source.substring("tag:".length());
      return isName(name) ? byTag.computeIfAbsent(name, k -> new ArrayList<>()) : null;
    }
    if (isName(source) && source.indexOf(':') < 0 && !source.startsWith("(")) {
      return byIdentity.computeIfAbsent(source, k -> new ArrayList<>());
    }
    return null;
  }

  private static boolean isName(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      if (Character.isWhitespace(name.charAt(i)) || Character.isISOControl(name.charAt(i))) return false;
    }
    return true;
  }

  /** True when no grant gives any model to anyone: every call is denied. */
  public boolean isEmpty() {
    return empty;
  }

  @Override
  public boolean allows(Caller caller, Route route) {
    return decide(caller, route).allowed();
  }

  @Override
  public AccessDecision decide(Caller caller, Route route) {
    String name = route.qualifiedName();
    ConcurrentHashMap<String, AccessDecision> callerDecisions = decisions.get(caller);
    if (callerDecisions == null) {
      // Bounded without bookkeeping on the hot path: a full cache starts over.
      if (decisions.size() >= MAX_CACHED_CALLERS) decisions.clear();
      callerDecisions = decisions.computeIfAbsent(caller, c -> new ConcurrentHashMap<>());
    }
    AccessDecision cached = callerDecisions.get(name);
    if (cached != null) return cached;
    AccessDecision decision = compute(caller, name);
    if (callerDecisions.size() < MAX_CACHED_ROUTES_PER_CALLER) callerDecisions.put(name, decision);
    return decision;
  }

  /** The decision for {@code caller} and {@code qualifiedName} ({@code provider/model}), uncached. */
  AccessDecision compute(Caller caller, String qualifiedName) {
    if (noGrants) return AccessDecision.denied(AccessDecision.Denial.NO_GRANTS);
    List<CompiledGrant> matched = matching(caller);
    AccessDecision.AccessRole role = null;
    boolean granted = false;
    for (CompiledGrant grant : matched) {
      if (grant.role == AccessDecision.AccessRole.ADMIN) {
        role = AccessDecision.AccessRole.ADMIN;
      } else if (grant.role == AccessDecision.AccessRole.USER && role == null) {
        role = AccessDecision.AccessRole.USER;
      }
      if (!granted) {
        for (CompiledCapability capability : grant.capabilities) {
          if (!capability.floating && capability.matches(qualifiedName)) {
            granted = true;
            break;
          }
        }
      }
    }
    if (!granted) return AccessDecision.denied(AccessDecision.Denial.NOT_GRANTED);
    if (role == null) return AccessDecision.denied(AccessDecision.Denial.NO_ROLE);

    AccessDecision.Builder builder = AccessDecision.builder().allowed(true).role(role);
    for (CompiledGrant grant : matched) {
      for (CompiledCapability capability : grant.capabilities) {
        if (!capability.floating && !capability.matches(qualifiedName)) continue;
        for (Quota quota : capability.quotas) builder.addQuotaBucket(quota.bucketFor(caller));
        for (AccessDecision.HookBinding hook : capability.hooks) builder.addHook(hook);
        for (ProviderConfig.Header header : capability.headers) {
          builder.addHeader(header.name(), header.value());
        }
      }
      grant.custom.forEach((key, values) -> {
        for (Object value : values) {
          if (value != null) builder.addCustomCapability(key, value);
        }
      });
    }
    return builder.build();
  }

  /** The grants whose {@code src} names {@code caller}, each once, in file order. */
  private List<CompiledGrant> matching(Caller caller) {
    List<CompiledGrant> result = new ArrayList<>(everyone);
    if (!caller.login().isEmpty()) addAll(result, byIdentity.get(caller.login()));
    for (String group : caller.groups()) {
      addAll(result, group.indexOf('@') >= 0 ? byIdentity.get(group) : byGroup.get(group));
    }
    for (String tag : caller.tags()) addAll(result, byTag.get(tag));
    if (caller.isLoopback()) addAll(result, loopback);
    if (result.size() > 1) {
      result.sort((a, b) -> Integer.compare(a.index, b.index));
      List<CompiledGrant> unique = new ArrayList<>(result.size());
      for (CompiledGrant grant : result) {
        if (unique.isEmpty() || unique.get(unique.size() - 1).index != grant.index) unique.add(grant);
      }
      return unique;
    }
    return result;
  }

  private static void addAll(List<CompiledGrant> target, @Nullable List<CompiledGrant> grants) {
    if (grants != null) target.addAll(grants);
  }

  /** One grant, ready to decide with. */
  private static final class CompiledGrant {
    final int index;
    final AccessDecision.@Nullable AccessRole role;
    final List<CompiledCapability> capabilities;
    final Map<String, List<@Nullable Object>> custom;

    private CompiledGrant(int index, AccessDecision.@Nullable AccessRole role,
        List<CompiledCapability> capabilities, Map<String, List<@Nullable Object>> custom) {
      this.index = index;
      this.role = role;
      this.capabilities = capabilities;
      this.custom = custom;
    }

    static CompiledGrant compile(int index, Grant grant, Map<String, Quota> quotas,
        @Nullable Map<String, Hook> hooks) {
      AccessDecision.AccessRole role = null;
      List<CompiledCapability> capabilities = new ArrayList<>();
      for (Grant.Capability capability : grant.capabilities()) {
        if ("admin".equals(capability.role())) {
          role = AccessDecision.AccessRole.ADMIN;
        } else if ("user".equals(capability.role()) && role == null) {
          role = AccessDecision.AccessRole.USER;
        }
        capabilities.add(CompiledCapability.compile(capability, quotas, hooks));
      }
      return new CompiledGrant(index, role, List.copyOf(capabilities),
          new LinkedHashMap<>(grant.customCapabilities()));
    }

    boolean grantsAnyModel() {
      for (CompiledCapability capability : capabilities) {
        if (!capability.floating && capability.hasPatterns()) return true;
      }
      return false;
    }
  }

  /** One capability: its model patterns (literals in a set, the rest compiled) and what it applies. */
  private static final class CompiledCapability {
    final boolean floating;
    final Set<String> literals;
    final List<ModelGlob> globs;
    final List<Quota> quotas;
    final List<AccessDecision.HookBinding> hooks;
    final List<ProviderConfig.Header> headers;

    private CompiledCapability(boolean floating, Set<String> literals, List<ModelGlob> globs,
        List<Quota> quotas, List<AccessDecision.HookBinding> hooks, List<ProviderConfig.Header> headers) {
      this.floating = floating;
      this.literals = literals;
      this.globs = globs;
      this.quotas = quotas;
      this.hooks = hooks;
      this.headers = headers;
    }

    static CompiledCapability compile(Grant.Capability capability, Map<String, Quota> quotas,
        @Nullable Map<String, Hook> hooks) {
      Set<String> literals = new HashSet<>();
      Map<String, ModelGlob> globs = new LinkedHashMap<>();
      for (String pattern : capability.models()) {
        ModelGlob glob = new ModelGlob(pattern);
        if (glob.isLiteral()) literals.add(pattern);
        else globs.putIfAbsent(pattern, glob);
      }
      List<Quota> resolved = new ArrayList<>();
      for (String bucket : capability.quotaBuckets()) {
        // A bucket no definition backs was warned about at load; it charges nothing.
        Quota quota = quotas.get(bucket);
        if (quota != null) resolved.add(quota);
      }
      List<AccessDecision.HookBinding> bindings = new ArrayList<>();
      for (AccessDecision.HookBinding binding : capability.sendHooks()) {
        if (hooks != null) {
          Hook hook = hooks.get(binding.name());
          if (hook == null || hook.disabled() || !hook.usable()) continue;
        }
        bindings.add(binding);
      }
      return new CompiledCapability(capability.isFloating(), Set.copyOf(literals),
          List.copyOf(globs.values()), List.copyOf(resolved), List.copyOf(bindings),
          List.copyOf(capability.addHeaders()));
    }

    boolean hasPatterns() {
      return !literals.isEmpty() || !globs.isEmpty();
    }

    boolean matches(String qualifiedName) {
      if (literals.contains(qualifiedName)) return true;
      for (ModelGlob glob : globs) {
        if (glob.matches(qualifiedName)) return true;
      }
      return false;
    }
  }
}
