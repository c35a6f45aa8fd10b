package dev.aperture.internal;

import dev.aperture.AccessDeniedException;
import dev.aperture.AccessPolicy;
import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.AuthenticationException;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Exchange;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.Interceptor;
import dev.aperture.ModelInfo;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ModelRegistry;
import dev.aperture.Provider;
import dev.aperture.ProviderException;
import dev.aperture.ProviderFactory;
import dev.aperture.ResponsesRequest;
import dev.aperture.Route;
import dev.aperture.Router;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.VerifyResult;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.ProviderConfig;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The Router. A call runs through the application's interceptors, then {@link #route} (registry →
 * access policy → API format), then the providers of the allowed routes in order, failing over to the
 * next route when one fails in a way another provider might not.
 */
public final class RealRouter implements Router {
  private static final System.Logger LOG = System.getLogger("dev.aperture.Router");

  private final Map<String, Provider> providers;
  private final Map<String, @Nullable String> providerNames;
  private final ModelRegistry registry;
  private final AccessPolicy policy;
  private final boolean noGrantsConfigured;
  private final List<Interceptor> interceptors;
  private final Caller defaultCaller;
  private final Verifier verifier;

  public RealRouter(@Nullable ApertureConfig config, List<ProviderFactory> factories,
      Map<Provider, List<String>> codeProviders, List<Interceptor> applicationInterceptors,
      @Nullable ModelRegistry modelRegistry, @Nullable AccessPolicy accessPolicy, Caller defaultCaller,
      int verifyConcurrency, Duration verifyTimeout) {
    if (config == null && codeProviders.isEmpty() && modelRegistry == null) {
      throw new IllegalStateException("a Router needs a configuration, a provider or a model registry");
    }
    Map<String, Provider> providers = new LinkedHashMap<>();
    Map<String, @Nullable String> providerNames = new LinkedHashMap<>();
    List<Route> routes = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();

    if (config != null) {
      for (ProviderConfig entry : config.providers().values()) {
        if (entry.disabled()) continue; // Disabled providers never route, so they are not built.
        Provider provider = create(entry, factories, problems);
        if (provider == null) continue;
        providers.put(entry.id(), provider);
        providerNames.put(entry.id(), entry.name());
        Set<ApiFormat> formats = EnumSet.noneOf(ApiFormat.class);
        formats.addAll(entry.compatibility());
        formats.retainAll(provider.apiFormats());
        for (String model : entry.models()) {
          routes.add(new Route(provider, model, formats, entry.preference()));
        }
      }
    }
    for (Map.Entry<Provider, List<String>> entry : codeProviders.entrySet()) {
      Provider provider = entry.getKey();
      if (providers.containsKey(provider.id())) {
        problems.add(new ConfigProblem("providers." + provider.id(), 0,
            "a provider added in code has the same id as another provider"));
        continue;
      }
      providers.put(provider.id(), provider);
      providerNames.put(provider.id(), null);
      for (String model : entry.getValue()) {
        routes.add(new Route(provider, model, provider.apiFormats(), 0));
      }
    }
    if (!problems.isEmpty()) throw new ConfigurationException(problems);

    this.providers = Collections.unmodifiableMap(providers);
    this.providerNames = providerNames;
    this.registry = modelRegistry != null ? modelRegistry : new ConfiguredModelRegistry(routes);
    if (accessPolicy != null) {
      this.policy = accessPolicy;
      this.noGrantsConfigured = false;
    } else if (config != null) {
      GrantsPolicy grants = new GrantsPolicy(config.grants());
      this.policy = grants;
      this.noGrantsConfigured = grants.isEmpty();
      if (grants.isEmpty()) {
        LOG.log(Level.WARNING, "the configuration grants no model to anyone: every call will be denied."
            + " Add grants, or build the Router with accessPolicy(AccessPolicy.allowAll())");
      }
    } else {
      this.policy = AccessPolicy.allowAll();
      this.noGrantsConfigured = false;
    }
    List<Interceptor> chain = new ArrayList<>(applicationInterceptors);
    chain.add(new RoutingInterceptor());
    this.interceptors = List.copyOf(chain);
    this.defaultCaller = defaultCaller;
    this.verifier = new Verifier(this, verifyConcurrency, verifyTimeout);
  }

  private static @Nullable Provider create(ProviderConfig entry, List<ProviderFactory> factories,
      List<ConfigProblem> problems) {
    ProviderFactory factory = factoryFor(entry, factories);
    if (factory == null) {
      Set<String> known = new LinkedHashSet<>();
      for (ProviderFactory f : factories) known.add(f.type());
      problems.add(new ConfigProblem(entry.type() != null ? entry.path() + ".type" : entry.path(), 0,
          "no provider factory for " + (entry.type() != null ? "type '" + entry.type() + "'"
              : "provider '" + entry.id() + "' (base URL host " + host(entry.baseUrl()) + ")")
              + "; known types: " + (known.isEmpty() ? "none registered (call"
              + " Router.builder().addProviderFactory(...))" : String.join(", ", known))));
      return null;
    }
    try {
      Provider provider = factory.create(entry);
      if (!provider.id().equals(entry.id())) {
        problems.add(new ConfigProblem(entry.path(), 0, "factory '" + factory.type()
            + "' built a provider with id '" + provider.id() + "' instead of '" + entry.id() + "'"));
        return null;
      }
      return provider;
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    } catch (RuntimeException e) {
      // A factory's own message may quote what it was given, secrets included: take them out.
      problems.add(new ConfigProblem(entry.path(), 0,
          "factory '" + factory.type() + "' failed: " + redact(String.valueOf(e.getMessage()), entry)));
    }
    return null;
  }

  /** {@code message} without the entry's key, header values or base-URL credentials. */
  static String redact(String message, ProviderConfig entry) {
    String result = message;
    if (!entry.apiKey().isEmpty()) result = result.replace(entry.apiKey().reveal(), "<redacted>");
    for (ProviderConfig.Header header : entry.addHeaders()) {
      if (!header.value().isEmpty()) result = result.replace(header.value(), "<redacted>");
    }
    try {
      String userInfo = URI.create(entry.baseUrl()).getRawUserInfo();
      if (userInfo != null && !userInfo.isEmpty()) result = result.replace(userInfo, "<redacted>");
    } catch (IllegalArgumentException ignored) {
      // Not a URI: nothing of it to find in the message.
    }
    return result;
  }

  private static @Nullable ProviderFactory factoryFor(ProviderConfig entry, List<ProviderFactory> factories) {
    if (entry.type() != null) {
      for (ProviderFactory f : factories) if (f.type().equals(entry.type())) return f;
      return null;
    }
    for (ProviderFactory f : factories) if (f.type().equals(entry.id())) return f;
    String host = host(entry.baseUrl());
    if (host != null) {
      for (ProviderFactory f : factories) if (f.matchesHost(host)) return f;
    }
    return null;
  }

  private static @Nullable String host(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null ? host.toLowerCase(Locale.ROOT) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---- Calls ----

  @Override
  public ChatResponse chat(Caller caller, ChatRequest request) {
    return run(caller, request, false).response();
  }

  @Override
  public ChatResponse chat(Caller caller, ChatRequest request, dev.aperture.CallOptions options) {
    return chat(caller, request);
  }

  @Override
  public ChatStream stream(Caller caller, ChatRequest request, dev.aperture.CallOptions options) {
    return stream(caller, request);
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request,
      dev.aperture.CallOptions options) {
    return chatAsync(caller, request);
  }

  @Override
  public List<dev.aperture.QuotaBalance> quotas(Caller caller) {
    throw new UnsupportedOperationException("quotas are wired by the call-pipeline work in progress");
  }

  @Override
  public dev.aperture.QuotaBalance refill(String bucket, long amountNanos) {
    throw new UnsupportedOperationException("quotas are wired by the call-pipeline work in progress");
  }

  @Override
  public void close() {
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(defaultCaller, request);
  }

  @Override
  public ChatStream stream(Caller caller, ChatRequest request) {
    return run(caller, request, true).stream();
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return stream(defaultCaller, request);
  }

  private Exchange run(Caller caller, ChatRequest request, boolean streaming) {
    java.util.Objects.requireNonNull(caller, "caller == null");
    java.util.Objects.requireNonNull(request, "request == null");
    return new RealInterceptorChain(interceptors, 0, request, caller, ApiFormat.OPENAI_CHAT, streaming)
        .proceed(request);
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request) {
    if (interceptors.size() > 1) {
      // Application interceptors are synchronous: run the whole chain off the caller's thread.
      return CompletableFuture.supplyAsync(() -> chat(caller, request));
    }
    List<Route> routes;
    try {
      routes = route(caller, request.model(), ApiFormat.OPENAI_CHAT);
    } catch (ApertureException e) {
      return CompletableFuture.failedFuture(e);
    }
    return chatAsync(routes, 0, request, null);
  }

  private CompletableFuture<ChatResponse> chatAsync(List<Route> routes, int index, ChatRequest request,
      @Nullable ProviderException previous) {
    Route route = routes.get(index);
    CompletableFuture<ChatResponse> attempt =
        route.provider().chatAsync(request.withModel(route.model()));
    CompletableFuture<ChatResponse> result = attempt.handle((response, failure) -> {
      if (failure == null) return CompletableFuture.completedFuture(response.withProvider(route.providerId()));
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof ProviderException e && index + 1 < routes.size() && shouldFailOver(e)) {
        logFailover(route, routes.get(index + 1), e);
        return chatAsync(routes, index + 1, request, e);
      }
      return CompletableFuture.<ChatResponse>failedFuture(cause);
    }).thenCompose(f -> f);
    // Cancelling what we return cancels the attempt in flight.
    result.whenComplete((r, t) -> {
      if (result.isCancelled()) attempt.cancel(true);
    });
    return result;
  }

  @Override
  public Map<String, @Nullable Object> responses(Caller caller, ResponsesRequest request) {
    List<Route> routes = route(caller, request.model(), ApiFormat.OPENAI_RESPONSES);
    ProviderException last = null;
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      try {
        return route.provider().responses(request.withModel(route.model()));
      } catch (ProviderException e) {
        last = e;
        if (i + 1 == routes.size() || !shouldFailOver(e)) throw e;
        logFailover(route, routes.get(i + 1), e);
      }
    }
    throw java.util.Objects.requireNonNull(last);
  }

  /**
   * The routes {@code caller} may use for {@code model} in {@code format}, best first. Throws
   * {@link ModelNotFoundException}, {@link AccessDeniedException} or {@link UnsupportedApiFormatException};
   * never does I/O.
   */
  List<Route> route(Caller caller, String model, ApiFormat format) {
    List<Route> candidates = registry.routes(model);
    if (candidates.isEmpty()) {
      throw new ModelNotFoundException(model, suggestionsFor(caller, model));
    }
    List<Route> allowed = candidates;
    for (int i = 0; i < candidates.size(); i++) {
      if (!policy.allows(caller, candidates.get(i))) {
        allowed = new ArrayList<>(candidates.size());
        for (Route route : candidates) if (policy.allows(caller, route)) allowed.add(route);
        break;
      }
    }
    if (allowed.isEmpty()) {
      throw new AccessDeniedException(caller, model, noGrantsConfigured
          ? "the configuration has no grants, so every call is denied" : null);
    }
    List<Route> capable = allowed;
    for (Route route : allowed) {
      if (!route.apiFormats().contains(format)) {
        capable = new ArrayList<>(allowed.size());
        for (Route r : allowed) if (r.apiFormats().contains(format)) capable.add(r);
        break;
      }
    }
    if (capable.isEmpty()) {
      Route first = allowed.get(0);
      throw new UnsupportedApiFormatException(first.providerId(), model, format, first.apiFormats());
    }
    return capable;
  }

  private List<String> suggestionsFor(Caller caller, String model) {
    // Only names the caller may use: a suggestion must not reveal models it cannot see.
    // Suggest names in the form asked: prefixed if the first segment looks like a provider id.
    int slash = model.indexOf('/');
    String first = slash > 0 ? model.substring(0, slash) : "";
    boolean prefixed = false;
    for (String id : providers.keySet()) {
      if (id.equalsIgnoreCase(first.strip())) prefixed = true;
    }
    Set<String> names = new LinkedHashSet<>();
    for (Route route : registry.allRoutes()) {
      if (policy.allows(caller, route)) names.add(prefixed ? route.qualifiedName() : route.model());
    }
    return Suggestions.nearest(model, names, 3);
  }

  /** Whether another provider might succeed where this one failed. A bad request fails everywhere. */
  static boolean shouldFailOver(ProviderException e) {
    return e.isRetryable() || e instanceof AuthenticationException
        || e instanceof InsufficientCreditsException;
  }

  private static void logFailover(Route failed, Route next, ProviderException e) {
    LOG.log(Level.WARNING, () -> failed.qualifiedName() + " failed (" + e.getMessage()
        + "); failing over to " + next.qualifiedName());
  }

  /** The last stage: access policy and routing, then the providers in order. */
  private final class RoutingInterceptor implements Interceptor {
    @Override
    public Exchange intercept(Chain chain) {
      ChatRequest request = chain.request();
      List<Route> routes = route(chain.caller(), request.model(), chain.format());
      for (int i = 0; ; i++) {
        Route route = routes.get(i);
        ChatRequest routed = request.withModel(route.model());
        try {
          if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "routing " + request.model() + " to " + route.qualifiedName());
          }
          return chain.streaming()
              ? Exchange.of(route.provider().stream(routed))
              : Exchange.of(route.provider().chat(routed).withProvider(route.providerId()));
        } catch (ProviderException e) {
          // A stream that has begun is never replayed: stream() returns before any chunk is delivered.
          if (i + 1 == routes.size() || !shouldFailOver(e)) throw e;
          logFailover(route, routes.get(i + 1), e);
        }
      }
    }

    @Override
    public String toString() {
      return "RoutingInterceptor";
    }
  }

  // ---- Listings and verification ----

  @Override
  public List<ModelInfo> models(Caller caller) {
    List<ModelInfo> result = new ArrayList<>();
    for (Route route : registry.allRoutes()) {
      if (policy.allows(caller, route)) {
        result.add(new ModelInfo(route.qualifiedName(), route.model(), route.providerId(),
            providerNames.get(route.providerId()), route.apiFormats()));
      }
    }
    return result;
  }

  @Override
  public List<VerifyResult> verify(Caller caller, List<String> models) {
    return verifier.verify(caller, models);
  }

  @Override
  public List<VerifyResult> verifyAll(Caller caller) {
    List<String> models = new ArrayList<>();
    for (Route route : registry.allRoutes()) models.add(route.qualifiedName());
    return verifier.verify(caller, models);
  }

  @Override
  public Map<String, Provider> providers() {
    return providers;
  }

  /**
   * The route that would serve {@code model} for {@code caller}, or null if there is none or the caller
   * may not use it (a result must not name the provider of a model the caller cannot see).
   */
  @Nullable Route firstRoute(Caller caller, String model) {
    try {
      return route(caller, model, ApiFormat.OPENAI_CHAT).get(0);
    } catch (ApertureException e) {
      return null;
    }
  }
}
