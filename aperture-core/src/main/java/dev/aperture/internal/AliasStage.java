package dev.aperture.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@code model_aliases}: a requested name that is an alias is replaced by its chosen destination
 * before anything else looks at the model, so grants, quotas, hooks and routing see the real
 * {@code provider/model}, as in Aperture.
 */
final class AliasStage implements Stage {
  private final Function<String, @Nullable String> aliases;

  /** {@code aliases} answers the destination for an alias name, or null for a name that is no alias. */
  AliasStage(Function<String, @Nullable String> aliases) {
    this.aliases = aliases;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    String destination = aliases.apply(chain.model());
    return destination == null ? chain.proceed() : chain.proceedWithModel(destination);
  }

  @Override
  public String toString() {
    return "AliasStage";
  }
}
