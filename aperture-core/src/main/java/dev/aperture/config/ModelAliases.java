package dev.aperture.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code model_aliases} section: stable, client-facing model names, each mapped to an ordered
 * {@code dst} list of {@code provider/model} destinations. A requested model that equals an alias name
 * exactly is replaced by the destination the strategy picks, <em>before</em> grants, quotas, hooks and
 * routing see it, so they all see the real {@code provider/model}. {@code dst} is not a retry chain.
 *
 * <pre>{@code
 * "model_aliases": {
 *   "models": {"writing-assistant": {"dst": ["openrouter/qwen/qwen3-235b-a22b-2507"]}}
 * }
 * }</pre>
 */
public final class ModelAliases {
  /** The strategy that picks the first {@code dst} entry: the default, and the only one the SDK knows. */
  public static final String FIRST = "first";

  private static final ModelAliases NONE = new ModelAliases(null, Map.of());

  private final @Nullable String strategy;
  private final Map<String, Alias> aliases;

  /**
   * @param strategy the global {@code strategy}, or null when not set
   * @param aliases by alias name, in file order
   */
  public ModelAliases(@Nullable String strategy, Map<String, Alias> aliases) {
    this.strategy = strategy;
    this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
  }

  /** No aliases. */
  public static ModelAliases none() {
    return NONE;
  }

  /** The global {@code strategy} as written, or null. */
  public @Nullable String strategy() {
    return strategy;
  }

  /** Every alias by name, in file order. */
  public Map<String, Alias> aliases() {
    return aliases;
  }

  public boolean isEmpty() {
    return aliases.isEmpty();
  }

  /** Whether {@code model} is an alias name (exact match). */
  public boolean isAlias(String model) {
    return aliases.containsKey(model);
  }

  /**
   * The destination {@code provider/model} that a request for {@code model} goes to, or null when
   * {@code model} is no alias (or an alias with no destination). Exact, case-sensitive match on the alias
   * name. The first {@code dst} entry is chosen: {@code first} is the only strategy the SDK knows, and an
   * unknown strategy (a load warning) falls back to it.
   */
  public @Nullable String resolve(String model) {
    Alias alias = aliases.get(model);
    if (alias == null || alias.destinations().isEmpty()) return null;
    return alias.destinations().get(0);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ModelAliases that && Objects.equals(strategy, that.strategy)
        && aliases.equals(that.aliases);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strategy, aliases);
  }

  @Override
  public String toString() {
    // An unknown strategy is not echoed: it may be anything pasted there.
    String shown = strategy == null ? "" : "strategy=" + (FIRST.equals(strategy) ? strategy : "<unknown>") + ", ";
    return "ModelAliases{" + shown + aliases.values() + "}";
  }

  /**
   * One alias.
   *
   * @param name the client-facing name
   * @param destinations {@code dst}: {@code provider/model} strings in order
   * @param strategy the alias's own {@code strategy}, or null to use the global one
   */
  public record Alias(String name, List<String> destinations, @Nullable String strategy) {
    public Alias {
      Objects.requireNonNull(name, "name == null");
      destinations = List.copyOf(destinations);
    }

    @Override
    public String toString() {
      return name + " -> " + destinations
          + (strategy != null ? " (" + (FIRST.equals(strategy) ? strategy : "<unknown>") + ")" : "");
    }
  }
}
