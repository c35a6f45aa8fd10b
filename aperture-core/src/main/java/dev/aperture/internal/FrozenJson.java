package dev.aperture.internal;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Read-only JSON-like maps and lists that the wire codec built itself from parsed JSON, so their content
 * is known to be JSON values and nobody else holds them. Values copy everything they are given, to be
 * immutable and JSON-safe; these they can take as they are, which saves a second deep copy of every
 * {@code extra} map on the hot path of each response and stream chunk.
 */
public final class FrozenJson {
  private FrozenJson() {
  }

  /** Wraps {@code owned}, which the caller built from parsed JSON and must not touch afterwards. */
  public static Map<String, @Nullable Object> map(Map<String, @Nullable Object> owned) {
    return owned.isEmpty() ? Map.of() : new FrozenMap(owned);
  }

  /** Wraps {@code owned}, which the caller built from parsed JSON and must not touch afterwards. */
  public static List<@Nullable Object> list(List<@Nullable Object> owned) {
    return owned.isEmpty() ? List.of() : new FrozenList(owned);
  }

  public static boolean isFrozen(@Nullable Object value) {
    return value instanceof FrozenMap || value instanceof FrozenList;
  }

  private static final class FrozenMap extends AbstractMap<String, @Nullable Object> {
    private final Map<String, @Nullable Object> delegate;

    FrozenMap(Map<String, @Nullable Object> owned) {
      this.delegate = Collections.unmodifiableMap(owned);
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      return delegate.entrySet();
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      return delegate.get(key);
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return delegate.containsKey(key);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }

  private static final class FrozenList extends AbstractList<@Nullable Object>
      implements java.util.RandomAccess {
    private final List<@Nullable Object> delegate;

    FrozenList(List<@Nullable Object> owned) {
      this.delegate = owned;
    }

    @Override
    public @Nullable Object get(int index) {
      return delegate.get(index);
    }

    @Override
    public int size() {
      return delegate.size();
    }
  }
}
