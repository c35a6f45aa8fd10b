package dev.aperture;

import dev.aperture.config.ApertureConfig;
import dev.aperture.internal.RealRouter;
import dev.aperture.internal.RouterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Routes chat calls to providers by model name, after checking the caller's grants.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .config(ApertureConfig.load(Path.of("aperture.hujson")))
 *     .addProviderFactory(new OpenRouterProviderFactory())
 *     .build();
 * ChatResponse response = router.chat(Caller.of("alice@example.com"),
 *     ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello!"));
 * }</pre>
 *
 * <p>A call's path: application interceptors → access policy and routing (the {@link ModelRegistry} gives
 * the routes, the {@link AccessPolicy} keeps those the caller may use) → API-format check → the
 * {@link Provider}. Thread-safe; build one and share it.
 */
public interface Router extends AutoCloseable {

  /** Sends a chat call as {@code caller} and waits for the response. */
  ChatResponse chat(Caller caller, ChatRequest request);

  /** Sends a chat call as the builder's default caller (anonymous unless set). */
  ChatResponse chat(ChatRequest request);

  /** Sends a chat call as {@code caller} with per-call {@code options} (deadline, request metadata). */
  ChatResponse chat(Caller caller, ChatRequest request, CallOptions options);

  /** Starts a streamed chat call as {@code caller} with per-call {@code options}. */
  ChatStream stream(Caller caller, ChatRequest request, CallOptions options);

  /** Sends a chat call without blocking, with per-call {@code options}. */
  CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request, CallOptions options);

  /**
   * The quota buckets that apply to {@code caller} under its grants (templates expanded), each with its
   * balance, in-flight reservations, capacity and rate: Aperture's {@code GET /api/quotas} for one caller.
   */
  List<QuotaBalance> quotas(Caller caller);

  /**
   * Adds {@code amountNanos} to the bucket named {@code bucket} (templates expanded, as
   * {@link #quotas} lists it), capped at its capacity: Aperture's {@code POST /api/quotas/refill}.
   * Throws {@link IllegalArgumentException} when no configured quota has that name.
   */
  QuotaBalance refill(String bucket, long amountNanos);

  /**
   * Stops accepting post-response hook events and waits up to the builder's
   * {@link Builder#shutdownTimeout} for those queued to be sent. Calls still in flight are not cancelled.
   */
  @Override
  void close();

  /** Starts a streamed chat call as {@code caller}. Close the stream when done. */
  ChatStream stream(Caller caller, ChatRequest request);

  /** Starts a streamed chat call as the default caller. */
  ChatStream stream(ChatRequest request);

  /**
   * Sends a chat call without blocking. Routing and access errors complete the future exceptionally
   * rather than throwing. Cancelling the future cancels the call where the provider supports it. With no
   * application interceptors, no thread waits per call when the provider is asynchronous (OpenRouter's
   * is); interceptors are synchronous, so with any registered the whole call runs on the common pool.
   */
  CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request);

  /**
   * Sends an OpenAI Responses-API call. Fails with {@link UnsupportedApiFormatException}, before any
   * network I/O, when the provider does not support {@link ApiFormat#OPENAI_RESPONSES} (OpenRouter
   * does not).
   */
  java.util.Map<String, @Nullable Object> responses(Caller caller, ResponsesRequest request);

  /** The models {@code caller} may use, each with its provider and API formats, in configuration order. */
  List<ModelInfo> models(Caller caller);

  /**
   * Checks each named model (bare or prefixed) with a minimal real chat call through the full path as
   * {@code caller}, concurrently (at most {@link Builder#verifyConcurrency} at once). One result per model,
   * in the order given.
   */
  List<VerifyResult> verify(Caller caller, List<String> models);

  /** Checks every enabled model of every provider, as {@link #verify(Caller, List)} does. */
  List<VerifyResult> verifyAll(Caller caller);

  /**
   * The providers built from configuration and added directly, by id. A configured provider this Router
   * cannot use is here too, as a stand-in whose calls fail with {@link ProviderUnavailableException}; see
   * {@link #unavailableProviders()}.
   */
  java.util.Map<String, Provider> providers();

  /**
   * The configured providers this Router cannot use, by id, each with the reason (no implementation
   * registered for its type, no {@code baseurl}). Their models are listed by {@link #models} with
   * {@link ModelInfo#unavailableReason()}; calls to them fail with {@link ProviderUnavailableException}.
   */
  java.util.Map<String, String> unavailableProviders();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Router}. Everything is optional except a configuration or at least one provider. */
  final class Builder {
    @Nullable ApertureConfig config;
    final List<ProviderFactory> factories = new ArrayList<>();
    final java.util.Map<Provider, List<String>> providers = new java.util.LinkedHashMap<>();
    final List<Interceptor> interceptors = new ArrayList<>();
    @Nullable ModelRegistry modelRegistry;
    @Nullable AccessPolicy accessPolicy;
    Caller defaultCaller = Caller.anonymous();
    int verifyConcurrency = 4;
    Duration verifyTimeout = Duration.ofSeconds(30);
    final List<EventListener.Factory> eventListenerFactories = new ArrayList<>();
    final List<Interceptor> routeInterceptors = new ArrayList<>();
    final java.util.Map<String, java.util.Map.Entry<HookOptions, HookHandler>> hooks = new java.util.LinkedHashMap<>();
    @Nullable QuotaStore quotaStore;
    @Nullable CooldownStore cooldownStore;
    java.time.Clock clock = java.time.Clock.systemUTC();
    @Nullable Duration callTimeout;
    Duration shutdownTimeout = Duration.ofSeconds(10);
    Sleeper sleeper = Sleeper.SYSTEM;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    int cooldownFailures = 3;
    Duration cooldownDuration = Duration.ofSeconds(30);
    boolean strict;

    Builder() {
    }

    /** The configuration whose providers, grants and models the Router uses. */
    public Builder config(ApertureConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /** Registers the factory for configuration entries of its {@link ProviderFactory#type()}. */
    public Builder addProviderFactory(ProviderFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /**
     * Registers every {@link ProviderFactory} that {@link ServiceLoader} finds on the class path. Only
     * when called: nothing is discovered behind the application's back.
     */
    public Builder discoverProviderFactories() {
      for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class)) {
        factories.add(factory);
      }
      return this;
    }

    /**
     * Adds a provider built in code, serving the given models at preference 0 with its own
     * {@link Provider#apiFormats()}. Its models join those of the configuration.
     */
    public Builder addProvider(Provider provider, List<String> models) {
      Objects.requireNonNull(provider, "provider == null");
      String id = provider.id();
      // The id is the first segment of qualified names that grants match: it must be one segment.
      if (id.isEmpty() || id.contains("/") || !id.strip().equals(id) || id.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("provider id must be one non-empty segment without '/' or"
            + " whitespace: '" + id + "'");
      }
      providers.put(provider, List.copyOf(models));
      return this;
    }

    /** Adds an application interceptor; they run in the order added, before routing. */
    public Builder addInterceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /**
     * Adds a route-level interceptor: it runs once per attempt, after routing, retries and failover have
     * chosen a route, and sees the request as the provider will ({@link Interceptor.Chain#route()} and
     * {@link Interceptor.Chain#attempt()} say where it is).
     */
    public Builder addRouteInterceptor(Interceptor interceptor) {
      routeInterceptors.add(Objects.requireNonNull(interceptor, "interceptor == null"));
      return this;
    }

    /** Adds a listener for every call's events; the same instance sees every call. */
    public Builder addEventListener(EventListener listener) {
      Objects.requireNonNull(listener, "listener == null");
      return addEventListenerFactory(call -> listener);
    }

    /** Adds a factory that creates a listener per call. */
    public Builder addEventListenerFactory(EventListener.Factory factory) {
      eventListenerFactories.add(Objects.requireNonNull(factory, "factory == null"));
      return this;
    }

    /**
     * Registers an in-process hook under {@code name}: grants' {@code send_hooks} name it exactly like a
     * hook of the configuration's {@code hooks}. A configured hook of the same name is replaced by this one.
     */
    public Builder addHook(String name, HookHandler handler) {
      return addHook(name, HookOptions.defaults(), handler);
    }

    /** Registers an in-process hook with its preference, failure policy and timeout. */
    public Builder addHook(String name, HookOptions options, HookHandler handler) {
      Objects.requireNonNull(name, "name == null");
      if (name.isBlank()) throw new IllegalArgumentException("hook name is blank");
      hooks.put(name, java.util.Map.entry(Objects.requireNonNull(options, "options == null"),
          Objects.requireNonNull(handler, "handler == null")));
      return this;
    }

    /** Where quota balances live; default in memory, on this Router's clock. */
    public Builder quotaStore(QuotaStore quotaStore) {
      this.quotaStore = Objects.requireNonNull(quotaStore, "quotaStore == null");
      return this;
    }

    /** Where route cooldowns live; default in memory, on this Router's clock. */
    public Builder cooldownStore(CooldownStore cooldownStore) {
      this.cooldownStore = Objects.requireNonNull(cooldownStore, "cooldownStore == null");
      return this;
    }

    /** The clock for deadlines, cooldowns and in-memory quotas; the system clock by default. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How a failed attempt is retried on the same route; {@link RetryPolicy#defaults()} by default. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /** How the Router waits between retries; real time by default. Tests inject one that advances a fake clock. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    /**
     * A route that failed {@code consecutiveFailures} calls in a row (retries spent, failures another
     * provider might not repeat), or answered 429 with {@code Retry-After}, is skipped for {@code duration}
     * (or the server's wait, if longer), then probed by one call. Default 3 failures, 30 s;
     * {@code consecutiveFailures} 0 turns cooldowns off.
     */
    public Builder cooldown(int consecutiveFailures, Duration duration) {
      if (consecutiveFailures < 0) throw new IllegalArgumentException("consecutiveFailures < 0");
      Objects.requireNonNull(duration, "duration == null");
      if (duration.isNegative()) throw new IllegalArgumentException("duration < 0");
      this.cooldownFailures = consecutiveFailures;
      this.cooldownDuration = duration;
      return this;
    }

    /**
     * Strict mode: a configured provider that this Router cannot use (no factory for its type, no
     * {@code baseurl}) fails {@link #build()} instead of being listed as unavailable.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** The default deadline of a whole call (every attempt and fallback); none by default. */
    public Builder callTimeout(Duration callTimeout) {
      if (callTimeout.isNegative() || callTimeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive");
      }
      this.callTimeout = callTimeout;
      return this;
    }

    /** How long {@link Router#close()} waits for queued post-response hook events; default 10 s. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      if (shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout < 0");
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /** Replaces the registry built from configuration. */
    public Builder modelRegistry(ModelRegistry modelRegistry) {
      this.modelRegistry = Objects.requireNonNull(modelRegistry, "modelRegistry == null");
      return this;
    }

    /**
     * Replaces the access policy. By default a Router built from a configuration applies its grants and
     * denies whatever no grant gives, even when the configuration has no {@code grants} at all; a
     * Router with only providers added in code allows everything. Pass {@link AccessPolicy#allowAll()}
     * to opt out of grants.
     */
    public Builder accessPolicy(AccessPolicy accessPolicy) {
      this.accessPolicy = Objects.requireNonNull(accessPolicy, "accessPolicy == null");
      return this;
    }

    /** The caller of {@link Router#chat(ChatRequest)} and {@link Router#stream(ChatRequest)}. */
    public Builder defaultCaller(Caller caller) {
      this.defaultCaller = Objects.requireNonNull(caller, "caller == null");
      return this;
    }

    /** How many verify checks run at once; default 4. */
    public Builder verifyConcurrency(int verifyConcurrency) {
      if (verifyConcurrency < 1) throw new IllegalArgumentException("verifyConcurrency < 1");
      this.verifyConcurrency = verifyConcurrency;
      return this;
    }

    /** How long one verify check may take before it counts as failed; default 30 s. */
    public Builder verifyTimeout(Duration verifyTimeout) {
      if (verifyTimeout.isNegative() || verifyTimeout.isZero()) {
        throw new IllegalArgumentException("verifyTimeout must be positive");
      }
      this.verifyTimeout = verifyTimeout;
      return this;
    }

    /**
     * Builds the Router. Throws {@link dev.aperture.config.ConfigurationException} listing every entry
     * that no factory handles or that a factory rejects.
     */
    public Router build() {
      return new RealRouter(new RouterSettings(config, List.copyOf(factories),
          new java.util.LinkedHashMap<>(providers), List.copyOf(interceptors), List.copyOf(routeInterceptors),
          List.copyOf(eventListenerFactories), new java.util.LinkedHashMap<>(hooks), modelRegistry, accessPolicy,
          defaultCaller, verifyConcurrency, verifyTimeout, quotaStore, cooldownStore, clock, sleeper, retryPolicy,
          cooldownFailures, cooldownDuration, callTimeout, shutdownTimeout, strict));
    }
  }
}
