package dev.aperture.opentelemetry.internal;

import static dev.aperture.opentelemetry.internal.GenAiAttributes.ERROR_TYPE;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.OPERATION_CHAT;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.OPERATION_NAME;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.PROVIDER_NAME;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.REQUEST_MODEL;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.RESPONSE_MODEL;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.TOKEN_TYPE;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.TOKEN_TYPE_INPUT;
import static dev.aperture.opentelemetry.internal.GenAiAttributes.TOKEN_TYPE_OUTPUT;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The attribute sets of one combination of metric attributes: the base set, and the base with each
 * {@code gen_ai.token.type}. Built, sorted and deduplicated once per combination rather than per call:
 * with every call recording four points, building them was most of the module's metric cost.
 */
final class MetricAttributes {
  /** Combinations kept; past this (request models are caller input) sets are built per call instead. */
  private static final int MAX_CACHED = 1024;

  final Attributes base;
  final Attributes input;
  final Attributes output;

  private MetricAttributes(Key key) {
    AttributesBuilder builder = Attributes.builder()
        .put(OPERATION_NAME, OPERATION_CHAT)
        .put(REQUEST_MODEL, key.requestModel());
    if (key.provider() != null) builder.put(PROVIDER_NAME, key.provider());
    if (key.responseModel() != null) builder.put(RESPONSE_MODEL, key.responseModel());
    if (key.errorType() != null) builder.put(ERROR_TYPE, key.errorType());
    this.base = builder.build();
    this.input = base.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_INPUT).build();
    this.output = base.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build();
  }

  /** The sets for one combination; null values are left out. */
  record Key(@Nullable String provider, String requestModel, @Nullable String responseModel,
      @Nullable String errorType) {
  }

  /** A bounded cache of attribute sets, shared by every call of one telemetry instance. */
  static final class Cache {
    private final ConcurrentHashMap<Key, MetricAttributes> sets = new ConcurrentHashMap<>();

    MetricAttributes get(@Nullable String provider, String requestModel, @Nullable String responseModel,
        @Nullable String errorType) {
      Key key = new Key(provider, requestModel, responseModel, errorType);
      MetricAttributes cached = sets.get(key);
      if (cached != null) return cached;
      if (sets.size() >= MAX_CACHED) return new MetricAttributes(key);
      return sets.computeIfAbsent(key, MetricAttributes::new);
    }

    int size() {
      return sets.size();
    }
  }
}
