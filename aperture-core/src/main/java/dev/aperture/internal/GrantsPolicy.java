package dev.aperture.internal;

import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.Route;
import dev.aperture.config.Grant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Aperture's grants: deny by default, additive. A caller may use a route if some grant whose {@code src}
 * names the caller ({@code *}, its login, one of its {@code group:}s or {@code tag:}s) gives a capability
 * with role {@code user} or {@code admin} whose model globs match the route's {@code provider/model}.
 *
 * <p>Grants are indexed by source, so a decision looks only at the grants that name the caller; decisions
 * are cached per caller and route (bounded), so a hot path costs a hash lookup however many grants exist.
 */
public final class GrantsPolicy implements AccessPolicy {
  private static final int MAX_CACHED_CALLERS = 4096;

  private final Patterns everyone;
  private final Map<String, Patterns> byLogin = new HashMap<>();
  private final Map<String, Patterns> byGroup = new HashMap<>();
  private final Map<String, Patterns> byTag = new HashMap<>();
  private final boolean empty;
  private final ConcurrentHashMap<Caller, ConcurrentHashMap<String, Boolean>> decisions =
      new ConcurrentHashMap<>();

  public GrantsPolicy(List<Grant> grants) {
    Patterns.Builder everyoneBuilder = new Patterns.Builder();
    Map<String, Patterns.Builder> logins = new HashMap<>();
    Map<String, Patterns.Builder> groups = new HashMap<>();
    Map<String, Patterns.Builder> tags = new HashMap<>();
    boolean any = false;
    for (Grant grant : grants) {
      List<String> globs = new ArrayList<>();
      for (Grant.Capability capability : grant.capabilities()) {
        // A capability without a known role grants nothing.
        if (!"user".equals(capability.role()) && !"admin".equals(capability.role())) continue;
        globs.addAll(capability.models());
      }
      if (globs.isEmpty()) continue;
      for (String source : grant.sources()) {
        Patterns.Builder target = null;
        if (source.equals("*")) {
          target = everyoneBuilder;
        } else if (source.startsWith("group:")) {
          String name = source.substring("group:".length());
          if (isName(name)) target = groups.computeIfAbsent(name, k -> new Patterns.Builder());
        } else if (source.startsWith("tag:")) {
          String name = source.substring("tag:".length());
          if (isName(name)) target = tags.computeIfAbsent(name, k -> new Patterns.Builder());
        } else if (isName(source) && !source.contains(":")) {
          target = logins.computeIfAbsent(source, k -> new Patterns.Builder());
        }
        // Anything else (empty, blank, an unknown prefix) names nobody: it must not widen access.
        if (target != null) {
          target.addAll(globs);
          any = true;
        }
      }
    }
    this.everyone = everyoneBuilder.build();
    logins.forEach((k, v) -> byLogin.put(k, v.build()));
    groups.forEach((k, v) -> byGroup.put(k, v.build()));
    tags.forEach((k, v) -> byTag.put(k, v.build()));
    this.empty = !any;
  }

  private static boolean isName(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      if (Character.isWhitespace(name.charAt(i)) || Character.isISOControl(name.charAt(i))) return false;
    }
    return true;
  }

  /** True when no grant gives anything to anyone: every call is denied. */
  public boolean isEmpty() {
    return empty;
  }

  @Override
  public boolean allows(Caller caller, Route route) {
    if (empty) return false;
    String name = route.qualifiedName();
    ConcurrentHashMap<String, Boolean> callerDecisions = decisions.get(caller);
    if (callerDecisions == null) {
      // Bounded without bookkeeping on the hot path: a full cache starts over.
      if (decisions.size() >= MAX_CACHED_CALLERS) decisions.clear();
      callerDecisions = decisions.computeIfAbsent(caller, c -> new ConcurrentHashMap<>());
    }
    Boolean cached = callerDecisions.get(name);
    if (cached != null) return cached;
    boolean allowed = decide(caller, name);
    if (callerDecisions.size() < 65_536) callerDecisions.put(name, allowed);
    return allowed;
  }

  private boolean decide(Caller caller, String qualifiedName) {
    if (everyone.matches(qualifiedName)) return true;
    if (!caller.login().isEmpty()) {
      Patterns patterns = byLogin.get(caller.login());
      if (patterns != null && patterns.matches(qualifiedName)) return true;
    }
    for (String group : caller.groups()) {
      Patterns patterns = byGroup.get(group);
      if (patterns != null && patterns.matches(qualifiedName)) return true;
    }
    for (String tag : caller.tags()) {
      Patterns patterns = byTag.get(tag);
      if (patterns != null && patterns.matches(qualifiedName)) return true;
    }
    return false;
  }

  /** The model globs of one source, literals in a set and the rest compiled. */
  private static final class Patterns {
    private final Set<String> literals;
    private final List<ModelGlob> globs;

    private Patterns(Set<String> literals, List<ModelGlob> globs) {
      this.literals = literals;
      this.globs = globs;
    }

    boolean matches(String qualifiedName) {
      if (literals.contains(qualifiedName)) return true;
      for (ModelGlob glob : globs) {
        if (glob.matches(qualifiedName)) return true;
      }
      return false;
    }

    static final class Builder {
      private final Set<String> literals = new HashSet<>();
      private final Map<String, ModelGlob> globs = new LinkedHashMap<>();

      void addAll(List<String> patterns) {
        for (String pattern : patterns) {
          ModelGlob glob = new ModelGlob(pattern);
          if (glob.isLiteral()) literals.add(pattern);
          else globs.putIfAbsent(pattern, glob);
        }
      }

      Patterns build() {
        return new Patterns(Set.copyOf(literals), List.copyOf(globs.values()));
      }
    }
  }
}
