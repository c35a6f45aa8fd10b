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
import dev.aperture.AccessDecision;
import dev.aperture.CallOptions;
import dev.aperture.CooldownStore;
import dev.aperture.Exchange;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.internal.hooks.HookRunner;
import dev.aperture.internal.hooks.WebhookSpec;
import dev.aperture.internal.quota.InMemoryQuotaStore;
import dev.aperture.internal.quota.QuotaGate;
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
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Router: builds the providers, registry and access policy from configuration, then runs every call —
 * chat, stream, asynchronous and Responses-API alike — through one {@link Pipeline} of stages.
 */
public final class RealRouter implements Router {
  private static final System.Logger LOG = System.getLogger("dev.aperture.Router");

  private final Map<String, Provider> providers;
  private final Map<String, String> unavailable;
  private final Map<String, @Nullable String> providerNames;
  private final ModelRegistry registry;
  private final AccessPolicy policy;
  private final boolean noGrantsConfigured;
  private final Caller defaultCaller;
  private final Verifier verifier;
  private final Pipeline pipeline;
  private final QuotaGate quotaGate;
  private final @Nullable HookRunner hookRunner;
  private final @Nullable ApertureConfig config;
  private final java.time.Duration shutdownTimeout;

  public RealRouter(RouterSettings settings) {
    ApertureConfig config = settings.config();
    if (config == null && settings.codeProviders().isEmpty() && settings.modelRegistry() == null) {
      throw new IllegalStateException("a Router needs a configuration, a provider or a model registry");
    }
    Map<String, Provider> providers = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    Map<String, @Nullable String> providerNames = new LinkedHashMap<>();
    List<Route> routes = new ArrayList<>();
    List<Route> unavailableRoutes = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();

    if (config != null) {
      for (ProviderConfig entry : config.providers().values()) {
        if (entry.disabled()) continue; // Disabled providers never route, so they are not built.
        List<ConfigProblem> entryProblems = new ArrayList<>();
        Provider provider = !entry.usable() ? null : create(entry, settings.factories(), entryProblems);
        Set<ApiFormat> formats = EnumSet.noneOf(ApiFormat.class);
        formats.addAll(entry.compatibility());
        if (provider == null) {
          String unusable = entry.unusableReason();
          String reason = !entry.usable() ? (unusable != null ? unusable : "it is not usable")
              : entryProblems.isEmpty() ? "it could not be built" : entryProblems.get(0).message();
          boolean missingFactory = !entry.usable()
              || entryProblems.stream().allMatch(p -> p.message().startsWith("no provider factory"));
          if (settings.strict() || !missingFactory) {
            problems.addAll(entryProblems.isEmpty()
                ? List.of(new ConfigProblem(entry.path(), 0, "provider '" + entry.id() + "' is unusable: " + reason))
                : entryProblems);
            continue;
          }
          // Aperture loads a file naming providers this SDK has no module for; so does the Router.
          LOG.log(Level.WARNING, () -> "provider '" + entry.id() + "' is unavailable: " + reason);
          unavailable.put(entry.id(), reason);
          provider = new UnavailableProvider(entry.id(), reason, formats);
        } else {
          formats.retainAll(provider.apiFormats());
        }
        providers.put(entry.id(), provider);
        providerNames.put(entry.id(), entry.name());
        for (String model : entry.models()) {
          Route route = new Route(provider, model, formats, entry.preference());
          (provider instanceof UnavailableProvider ? unavailableRoutes : routes).add(route);
        }
      }
    }
    for (Map.Entry<Provider, List<String>> entry : settings.codeProviders().entrySet()) {
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
    // Unavailable routes go last: any usable route for the same model is preferred.
    routes.addAll(unavailableRoutes);

    this.providers = Collections.unmodifiableMap(providers);
    this.unavailable = Collections.unmodifiableMap(unavailable);
    this.providerNames = providerNames;
    this.registry = settings.modelRegistry() != null ? settings.modelRegistry()
        : new ConfiguredModelRegistry(routes);
    if (settings.accessPolicy() != null) {
      this.policy = settings.accessPolicy();
      this.noGrantsConfigured = false;
    } else if (config != null) {
      GrantsPolicy grants = new GrantsPolicy(config);
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
    this.defaultCaller = settings.defaultCaller();
    this.verifier = new Verifier(this, settings.verifyConcurrency(), settings.verifyTimeout());
    this.config = config;
    this.shutdownTimeout = settings.shutdownTimeout();
    this.quotaGate = new QuotaGate(settings.quotaStore() != null ? settings.quotaStore()
        : new InMemoryQuotaStore(settings.clock()), QuotaGate.DEFAULT_RESERVATION_TTL);
    this.hookRunner = hookRunner(settings, config);
    this.pipeline = buildPipeline(settings, config);
  }

  /** The runner for the configuration's webhooks and the builder's in-process hooks; null when there are none. */
  private static @Nullable HookRunner hookRunner(RouterSettings settings, @Nullable ApertureConfig config) {
    List<WebhookSpec> webhooks = new ArrayList<>();
    if (config != null) {
      for (dev.aperture.config.Hook hook : config.hooks().values()) {
        // An unusable hook (no url, a bad scheme) is sent nothing, as in Aperture: it was warned at load.
        if (!hook.usable() || settings.hooks().containsKey(hook.name())) continue;
        WebhookSpec.Authorization authorization = WebhookSpec.Authorization.fromWireName(hook.authorization().wireName());
        webhooks.add(new WebhookSpec(hook.name(), URI.create(hook.url()), hook.apiKey().reveal(),
            authorization != null ? authorization : WebhookSpec.Authorization.BEARER, hook.timeout(),
            hook.failClosed(), hook.preference(), hook.disabled()));
      }
    }
    if (webhooks.isEmpty() && settings.hooks().isEmpty()) return null;
    return HookRunner.builder().webhooks(webhooks).inProcessHooks(settings.hooks())
        .redactor(config != null ? config.redactor() : dev.aperture.Redactor.none()).build();
  }

  private Pipeline buildPipeline(RouterSettings settings, @Nullable ApertureConfig config) {
    List<Stage> stages = new ArrayList<>();
    for (Interceptor interceptor : settings.interceptors()) stages.add(new ApplicationInterceptorStage(interceptor));
    stages.add(new AliasStage(aliasResolver(config)));
    stages.add(new RouteStage(this));
    if (hookRunner != null) stages.add(new HookStage(hookRunner, quotaGate, this));
    stages.add(new QuotaStage(quotaGate, providers::get));
    CooldownStore cooldownStore = settings.cooldownStore() != null ? settings.cooldownStore()
        : new InMemoryCooldownStore(settings.clock());
    stages.add(new FailoverStage(new Cooldowns(cooldownStore, settings.cooldownFailures(), settings.cooldownDuration())));
    stages.add(new RetryStage(settings.retryPolicy(), settings.sleeper()));
    for (Interceptor interceptor : settings.routeInterceptors()) stages.add(new ApplicationInterceptorStage(interceptor));
    stages.add(new ProviderStage(this));
    boolean blockingOnly = !settings.interceptors().isEmpty() || !settings.routeInterceptors().isEmpty();
    return new Pipeline(stages, settings.clock(), settings.callTimeout(), blockingOnly,
        settings.eventListenerFactories());
  }

  private static java.util.function.Function<String, @Nullable String> aliasResolver(@Nullable ApertureConfig config) {
    if (config == null || config.modelAliases().isEmpty()) return model -> null;
    dev.aperture.config.ModelAliases aliases = config.modelAliases();
    return aliases::resolve;
  }

  Pipeline pipeline() {
    return pipeline;
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
    return chat(caller, request, CallOptions.defaults());
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return chat(defaultCaller, request);
  }

  @Override
  public ChatResponse chat(Caller caller, ChatRequest request, CallOptions options) {
    Objects.requireNonNull(request, "request == null");
    Exchange exchange = new RealCall(pipeline, caller, options, request, null, false, false).execute()
        .requireExchange();
    return ((Exchange.Plain) exchange).response();
  }

  @Override
  public ChatStream stream(Caller caller, ChatRequest request) {
    return stream(caller, request, CallOptions.defaults());
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return stream(defaultCaller, request);
  }

  @Override
  public ChatStream stream(Caller caller, ChatRequest request, CallOptions options) {
    Objects.requireNonNull(request, "request == null");
    Exchange exchange = new RealCall(pipeline, caller, options, request, null, true, false).execute()
        .requireExchange();
    return ((Exchange.Streamed) exchange).stream();
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request) {
    return chatAsync(caller, request, CallOptions.defaults());
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request, CallOptions options) {
    Objects.requireNonNull(caller, "caller == null");
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(options, "options == null");
    if (pipeline.blockingOnly) {
      // Interceptors are synchronous: run the whole call blocking, off the caller's thread. The call is
      // made here, so its listener sees the caller's thread (and its tracing context) at callStart.
      RealCall call = new RealCall(pipeline, caller, options, request, null, false, false);
      CompletableFuture<ChatResponse> result = CompletableFuture.supplyAsync(
          () -> ((Exchange.Plain) call.execute().requireExchange()).response(), pipeline.executor);
      result.whenComplete((r, t) -> {
        if (result.isCancelled()) call.cancel();
      });
      return result;
    }
    RealCall call = new RealCall(pipeline, caller, options, request, null, false, true);
    CompletableFuture<Outcome> running = call.start();
    CompletableFuture<ChatResponse> result = running.handle((outcome, failure) -> {
      if (failure != null) throw new CompletionException(RealCall.unwrap(failure));
      return ((Exchange.Plain) outcome.requireExchange()).response();
    });
    // Cancelling what we return cancels the attempt in flight (and so stops retries and failover).
    result.whenComplete((r, t) -> {
      if (result.isCancelled()) call.cancel();
    });
    return result;
  }

  @Override
  public Map<String, @Nullable Object> responses(Caller caller, ResponsesRequest request) {
    Objects.requireNonNull(request, "request == null");
    return Objects.requireNonNull(new RealCall(pipeline, caller, CallOptions.defaults(), null, request, false, false)
        .execute().responsesBody());
  }

  /** What the route stage hands on: the routes the caller may use, best first, and the governing decision. */
  record Resolution(List<Route> routes, AccessDecision decision) {
  }

  /**
   * The routes {@code caller} may use for {@code model} in {@code format}, best first, with the access
   * decision of the first. Throws {@link ModelNotFoundException}, {@link AccessDeniedException} or
   * {@link UnsupportedApiFormatException}; never does I/O.
   */
  Resolution resolve(Caller caller, String model, ApiFormat format) {
    List<Route> candidates = registry.routes(model);
    if (candidates.isEmpty()) {
      throw new ModelNotFoundException(model, suggestionsFor(caller, model));
    }
    List<Route> allowed = null;
    AccessDecision firstDecision = null;
    AccessDecision.Denial denial = null;
    for (int i = 0; i < candidates.size(); i++) {
      Route route = candidates.get(i);
      AccessDecision decision = policy.decide(caller, route);
      if (decision.allowed()) {
        if (firstDecision == null) firstDecision = decision;
        if (allowed != null) allowed.add(route);
      } else {
        if (denial == null || decision.denial() == AccessDecision.Denial.NO_ROLE) denial = decision.denial();
        if (allowed == null) allowed = new ArrayList<>(candidates.subList(0, i));
      }
    }
    if (allowed == null) allowed = candidates;
    if (allowed.isEmpty() || firstDecision == null) {
      AccessDecision.Denial why = noGrantsConfigured ? AccessDecision.Denial.NO_GRANTS
          : denial != null ? denial : AccessDecision.Denial.NOT_GRANTED;
      throw new AccessDeniedException(caller, model, why, noGrantsConfigured
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
      Route best = allowed.get(0);
      throw new UnsupportedApiFormatException(best.providerId(), model, format, best.apiFormats());
    }
    AccessDecision first = capable.get(0) == allowed.get(0) ? firstDecision : policy.decide(caller, capable.get(0));
    return new Resolution(capable, governing(caller, capable, first));
  }

  /**
   * The decision that governs a call over {@code routes}: the first route's, with the quota buckets and
   * hooks of every other route added, because failover may reach any of them — a bucket or a
   * {@code pre_request} hook that a grant scopes to one route applies whichever route serves the call.
   * Headers stay per route ({@link #headersFor}): one provider's credential never reaches another.
   */
  private AccessDecision governing(Caller caller, List<Route> routes, AccessDecision first) {
    if (routes.size() == 1) return first;
    AccessDecision.Builder merged = null;
    for (int i = 1; i < routes.size(); i++) {
      AccessDecision other = policy.decide(caller, routes.get(i));
      if (other.quotaBuckets().isEmpty() && other.hooks().isEmpty()) continue;
      if (merged == null) merged = first.newBuilder();
      for (QuotaBucket bucket : other.quotaBuckets()) merged.addQuotaBucket(bucket);
      for (AccessDecision.HookBinding binding : other.hooks().values()) merged.addHook(binding);
    }
    return merged == null ? first : merged.build();
  }

  /** The extra upstream headers the caller's grants give for {@code route} (cached decision). */
  List<AccessDecision.Header> headersFor(Caller caller, Route route) {
    return policy.decide(caller, route).headers();
  }

  /**
   * Checks every model a request names besides {@code model}, in the fields its providers declare
   * ({@link Provider#modelSelectingParameters()}, such as OpenRouter's {@code models} fallback list),
   * matching the field names in any case: each must be a model the caller may use on that provider, or
   * the call is refused exactly as for an unknown model. A value with no {@code /} that names no model
   * (OpenRouter's {@code route: "fallback"}) is a mode, not a model.
   */
  void checkModelSelectingParameters(Caller caller, ChatRequest request, List<Route> routes) {
    if (request.parameters().isEmpty()) return;
    for (Route route : routes) {
      Set<String> selecting = route.provider().modelSelectingParameters();
      if (selecting.isEmpty()) continue;
      for (Map.Entry<String, @Nullable Object> parameter : request.parameters().entrySet()) {
        if (!containsIgnoreCase(selecting, parameter.getKey())) continue;
        for (Object value : valuesOf(parameter.getValue())) {
          if (!(value instanceof String name)) {
            throw new ModelNotFoundException(String.valueOf(value), List.of());
          }
          if (localModel(caller, route, name) == null) {
            if (!name.contains("/") && registry.routes(name).isEmpty()) continue; // a mode word
            throw new ModelNotFoundException(name, List.of());
          }
        }
      }
    }
  }

  /**
   * The model-selecting fields of {@code request} with each model turned into {@code route}'s own name
   * (prefix removed), for the provider; empty when nothing changes.
   */
  Map<String, @Nullable Object> localModelSelectors(ChatRequest request, Route route) {
    Set<String> selecting = route.provider().modelSelectingParameters();
    if (selecting.isEmpty() || request.parameters().isEmpty()) return Map.of();
    Map<String, @Nullable Object> rewrites = new LinkedHashMap<>();
    String prefix = route.providerId() + "/";
    for (Map.Entry<String, @Nullable Object> parameter : request.parameters().entrySet()) {
      if (!containsIgnoreCase(selecting, parameter.getKey())) continue;
      Object value = parameter.getValue();
      if (value instanceof String name && name.startsWith(prefix)) {
        rewrites.put(parameter.getKey(), name.substring(prefix.length()));
      } else if (value instanceof List<?> list) {
        boolean changed = false;
        List<Object> local = new ArrayList<>(list.size());
        for (Object item : list) {
          if (item instanceof String name && name.startsWith(prefix)) {
            local.add(name.substring(prefix.length()));
            changed = true;
          } else {
            local.add(item);
          }
        }
        if (changed) rewrites.put(parameter.getKey(), local);
      }
    }
    return rewrites;
  }

  /** {@code name}'s model at {@code route}'s provider if the caller may use it there, else null. */
  private @Nullable String localModel(Caller caller, Route route, String name) {
    for (Route candidate : registry.routes(name)) {
      if (candidate.provider() == route.provider() && policy.allows(caller, candidate)) return candidate.model();
    }
    List<Route> prefixed = registry.routes(route.providerId() + "/" + name);
    for (Route candidate : prefixed) {
      if (candidate.provider() == route.provider() && policy.allows(caller, candidate)) return candidate.model();
    }
    return null;
  }

  private static boolean containsIgnoreCase(Set<String> names, String name) {
    for (String candidate : names) if (candidate.equalsIgnoreCase(name)) return true;
    return false;
  }

  private static List<?> valuesOf(@Nullable Object value) {
    if (value instanceof List<?> list) return list;
    return value == null ? List.of() : List.of(value);
  }

  /**
   * Refuses an answer from a model outside the caller's grants (an upstream that fell back on its own):
   * accepted are the model asked for, a dated or tagged variant of it ({@code name-2025-01-01},
   * {@code name:free}), a model of the request's fallback fields (or a variant of one), all already
   * checked against the grants, and any model the caller may use at that provider. Costs nothing more
   * than a string comparison when the upstream answered from the model asked for.
   */
  void checkAnsweredModel(Caller caller, Route route, String answered, ChatRequest request) {
    if (answered.isEmpty() || isVariantOf(answered, route.model())) return;
    Set<String> selecting = route.provider().modelSelectingParameters();
    if (!selecting.isEmpty()) {
      for (Map.Entry<String, @Nullable Object> parameter : request.parameters().entrySet()) {
        if (!containsIgnoreCase(selecting, parameter.getKey())) continue;
        for (Object value : valuesOf(parameter.getValue())) {
          if (!(value instanceof String name)) continue;
          String local = localModel(caller, route, name);
          if (local != null && isVariantOf(answered, local)) return;
        }
      }
    }
    if (localModel(caller, route, answered) != null) return;
    throw new AccessDeniedException(caller, route.providerId() + "/" + answered, AccessDecision.Denial.NOT_GRANTED,
        "the upstream answered from this model instead of '" + route.model() + "'; the answer was discarded");
  }

  /**
   * Whether {@code answered} is {@code model} itself or a dated or tagged release of it: a suffix of
   * digit groups ({@code -2024-08-06}, {@code -0613}, {@code -2507}) or OpenRouter's {@code :tag}
   * ({@code :free}). {@code gpt-4o-mini} is not a variant of {@code gpt-4o}: it is another model.
   */
  static boolean isVariantOf(String answered, String model) {
    if (answered.equals(model)) return true;
    if (!answered.startsWith(model) || answered.length() == model.length()) return false;
    String suffix = answered.substring(model.length());
    return suffix.matches("(-\\d+)+(:[a-z0-9-]+)?") || suffix.matches(":[a-z0-9-]+");
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

  @Override
  public List<QuotaBalance> quotas(Caller caller) {
    Map<String, QuotaBucket> buckets = new LinkedHashMap<>();
    for (Route route : registry.allRoutes()) {
      for (QuotaBucket bucket : policy.decide(caller, route).quotaBuckets()) buckets.putIfAbsent(bucket.name(), bucket);
    }
    return buckets.isEmpty() ? List.of() : quotaGate.balances(List.copyOf(buckets.values()));
  }

  @Override
  public QuotaBalance refill(String bucket, long amountNanos) {
    Objects.requireNonNull(bucket, "bucket == null");
    if (amountNanos < 0) throw new IllegalArgumentException("amountNanos < 0");
    return quotaGate.refill(bucketNamed(bucket), amountNanos);
  }

  /** The configured quota whose name, templates expanded, is {@code name}. */
  private QuotaBucket bucketNamed(String name) {
    if (config != null) {
      for (dev.aperture.config.Quota quota : config.quotas().values()) {
        if (templateMatches(quota.name(), name)) {
          return new QuotaBucket(name, quota.name(), quota.capacityNanos(), quota.rateNanos(), quota.ratePeriod());
        }
      }
    }
    throw new IllegalArgumentException("no configured quota is named '" + name + "'");
  }

  /** Whether {@code name} is {@code template} with its {@code <user>} and {@code <node>} filled in. */
  static boolean templateMatches(String template, String name) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int user = template.indexOf(dev.aperture.config.Quota.USER_TEMPLATE, i);
      int node = template.indexOf(dev.aperture.config.Quota.NODE_TEMPLATE, i);
      int next = user < 0 ? node : node < 0 ? user : Math.min(user, node);
      if (next < 0) {
        regex.append(java.util.regex.Pattern.quote(template.substring(i)));
        break;
      }
      if (next > i) regex.append(java.util.regex.Pattern.quote(template.substring(i, next)));
      regex.append(".+");
      i = next + (next == user ? dev.aperture.config.Quota.USER_TEMPLATE.length()
          : dev.aperture.config.Quota.NODE_TEMPLATE.length());
    }
    return java.util.regex.Pattern.matches(regex.toString(), name);
  }

  @Override
  public void close() {
    if (hookRunner != null) hookRunner.close(shutdownTimeout);
    pipeline.shutdown();
  }

  // ---- Listings and verification ----

  @Override
  public List<ModelInfo> models(Caller caller) {
    List<ModelInfo> result = new ArrayList<>();
    for (Route route : registry.allRoutes()) {
      if (policy.allows(caller, route)) {
        result.add(new ModelInfo(route.qualifiedName(), route.model(), route.providerId(),
            providerNames.get(route.providerId()), route.apiFormats(), unavailable.get(route.providerId())));
      }
    }
    // An alias is listed under its own name when the caller may use the destination it resolves to.
    if (config != null && !config.modelAliases().isEmpty()) {
      for (String alias : config.modelAliases().aliases().keySet()) {
        String destination = config.modelAliases().resolve(alias);
        if (destination == null) continue;
        for (Route route : registry.routes(destination)) {
          if (policy.allows(caller, route)) {
            result.add(new ModelInfo(alias, alias, route.providerId(), providerNames.get(route.providerId()),
                route.apiFormats(), unavailable.get(route.providerId())));
            break;
          }
        }
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

  @Override
  public Map<String, String> unavailableProviders() {
    return unavailable;
  }

  /**
   * The route that would serve {@code model} for {@code caller}, or null if there is none or the caller
   * may not use it (a result must not name the provider of a model the caller cannot see).
   */
  @Nullable Route firstRoute(Caller caller, String model) {
    try {
      return resolve(caller, model, ApiFormat.OPENAI_CHAT).routes().get(0);
    } catch (ApertureException e) {
      return null;
    }
  }
}
