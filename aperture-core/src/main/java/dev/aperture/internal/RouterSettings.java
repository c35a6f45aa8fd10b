package dev.aperture.internal;

import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.CooldownStore;
import dev.aperture.EventListener;
import dev.aperture.HookHandler;
import dev.aperture.HookOptions;
import dev.aperture.Interceptor;
import dev.aperture.ModelRegistry;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.QuotaStore;
import dev.aperture.RetryPolicy;
import dev.aperture.Sleeper;
import dev.aperture.config.ApertureConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Everything {@code Router.Builder} collected, handed to {@link RealRouter} in one piece. */
public record RouterSettings(
    @Nullable ApertureConfig config,
    List<ProviderFactory> factories,
    Map<Provider, List<String>> codeProviders,
    List<Interceptor> interceptors,
    List<Interceptor> routeInterceptors,
    List<EventListener.Factory> eventListenerFactories,
    Map<String, Map.Entry<HookOptions, HookHandler>> hooks,
    @Nullable ModelRegistry modelRegistry,
    @Nullable AccessPolicy accessPolicy,
    Caller defaultCaller,
    int verifyConcurrency,
    Duration verifyTimeout,
    @Nullable QuotaStore quotaStore,
    @Nullable CooldownStore cooldownStore,
    Clock clock,
    Sleeper sleeper,
    RetryPolicy retryPolicy,
    int cooldownFailures,
    Duration cooldownDuration,
    @Nullable Duration callTimeout,
    Duration shutdownTimeout,
    boolean strict) {
}
