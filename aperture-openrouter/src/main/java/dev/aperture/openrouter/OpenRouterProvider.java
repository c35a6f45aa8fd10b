package dev.aperture.openrouter;

import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ModelPricing;
import dev.aperture.Provider;
import dev.aperture.Redactor;
import dev.aperture.config.Authorization;
import dev.aperture.openrouter.internal.ChatTransport;
import dev.aperture.openrouter.internal.Diagnoser;
import dev.aperture.openrouter.internal.Endpoints;
import dev.aperture.openrouter.internal.GenerationCosts;
import dev.aperture.openrouter.internal.ModelCatalog;
import dev.aperture.openrouter.internal.NoFollowUps;
import dev.aperture.openrouter.internal.OpenRouterErrors;
import dev.aperture.openrouter.internal.Secrets;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's chat completions ({@code POST {baseUrl}v1/chat/completions}) as a {@link Provider}:
 * blocking, streamed and asynchronous calls and typed errors. OpenRouter has no Responses API, so
 * {@link #apiFormats()} is {@code openai_chat} alone.
 *
 * <p>Each call is exactly one HTTP request: retries are the Router's ({@link dev.aperture.RetryPolicy}),
 * decided from the errors' {@link dev.aperture.ProviderException#isRetryable()} and
 * {@link dev.aperture.ProviderException#retryAfter()}. The OkHttp client is set up so that it never
 * re-sends by itself either (no connection-failure retries, no redirects, no authenticator, and no
 * re-send of a 503 with {@code Retry-After: 0}, which OkHttp otherwise does whatever its settings).
 *
 * <p>No secret reaches a message, an error excerpt, a log line or a diagnosis: the key, the
 * {@code add_headers} values, credentials in the base URL and a call's own header values are all
 * redacted before any text is shortened. A key or header value with a control character (CR, LF, ...)
 * is refused when the provider is built.
 *
 * <pre>{@code
 * OpenRouterProvider openRouter = OpenRouterProvider.builder()
 *     .apiKey(System.getenv("OPENROUTER_API_KEY"))
 *     .title("My App")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Pass an {@link OkHttpClient} to share its connection pool and
 * dispatcher; {@link #newBuilder()} makes a changed copy that shares them too.
 */
public final class OpenRouterProvider implements Provider {
  public static final String DEFAULT_BASE_URL = "https://openrouter.ai/api/";
  public static final String DEFAULT_ID = "openrouter";

  /** The request fields besides {@code model} that select the model that answers. */
  private static final Set<String> MODEL_SELECTING = Set.of("models", "route");

  private final Builder settings;
  private final String id;
  private final Redactor redactor;
  private final ChatTransport transport;
  private final Diagnoser diagnoser;
  private final GenerationCosts generationCosts;
  private final ModelCatalog catalog;

  private OpenRouterProvider(Builder builder) {
    this.settings = builder.copy();
    this.id = builder.id;
    Endpoints endpoints = Endpoints.parse(builder.baseUrl);
    if (endpoints == null) {
      throw new IllegalArgumentException("baseUrl is not an http or https URL: " + Endpoints.redacted(builder.baseUrl));
    }
    if (Secrets.hasControlCharacter(builder.apiKey.reveal())) {
      throw new IllegalArgumentException("the API key contains a control character (such as CR or LF),"
          + " which would inject headers into every request; check how it is set");
    }
    List<String> secrets = new ArrayList<>();
    Secrets.add(secrets, builder.apiKey.reveal());
    for (String[] header : builder.extraHeaders) Secrets.add(secrets, header[1]);
    secrets.addAll(Secrets.ofBaseUrl(builder.baseUrl));
    OpenRouterErrors errors = new OpenRouterErrors(id, secrets, builder.clock);
    this.redactor = errors.redactor();
    OkHttpClient client = client(builder);
    Headers headers = headers(builder);
    this.transport = new ChatTransport(id, client, endpoints.chatCompletions(), headers,
        builder.authorization.headerName(), errors);
    OkHttpClient sideClient = client.newBuilder().callTimeout(Duration.ofSeconds(15)).build();
    this.diagnoser = new Diagnoser(sideClient, endpoints.key(), endpoints.models(), headers, redactor);
    this.generationCosts = new GenerationCosts(sideClient, endpoints::generation, headers, redactor);
    this.catalog = new ModelCatalog(sideClient, endpoints.models(), headers, builder.clock, redactor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this provider's settings, sharing its HTTP client. */
  public Builder newBuilder() {
    return settings.copy();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<ApiFormat> apiFormats() {
    return Set.of(ApiFormat.OPENAI_CHAT);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    Objects.requireNonNull(request, "request == null");
    return transport.chat(ownModel(request));
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    Objects.requireNonNull(request, "request == null");
    return transport.stream(ownModel(request));
  }

  /** Uses OkHttp's asynchronous calls: no thread waits per call. Cancelling the future cancels it. */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request == null");
    return transport.chatAsync(ownModel(request));
  }

  /**
   * {@code models} (OpenRouter's fallback list: when the primary model fails it answers from the next)
   * and {@code route}: both decide which model answers, so the Router checks what they name against the
   * caller's grants like {@code model}. Note that {@code route}'s one documented value,
   * {@code "fallback"}, is an OpenRouter routing mode (try {@code models} in order), not a model name.
   */
  @Override
  public Set<String> modelSelectingParameters() {
    return MODEL_SELECTING;
  }

  /**
   * {@code GET {baseUrl}v1/generation?id=}: the generation's {@code total_cost} in dollars, for a stream
   * closed before its usage arrived. Asynchronous; completes with null (never exceptionally) when the
   * cost is unknown — including for the few seconds after a generation ends before OpenRouter has
   * recorded it (it answers 404 then), so a caller may ask again later. Failures are logged at DEBUG.
   */
  @Override
  public CompletableFuture<@Nullable BigDecimal> generationCost(String generationId) {
    return generationCosts.cost(generationId);
  }

  /**
   * The model's price from OpenRouter's public catalog ({@code GET v1/models}), which is fetched in the
   * background on first use and refreshed at most once an hour. Never blocks: null until the catalog
   * has loaded, and for models it does not list or whose price varies ({@code openrouter/auto}).
   */
  @Override
  public @Nullable ModelPricing pricing(String model) {
    return catalog.pricing(ownModelName(model));
  }

  /**
   * Asks OpenRouter why a check failed: whether the key is accepted and how much credit it has (for
   * authentication and credit failures), or whether OpenRouter lists the model and which listed model is
   * nearest (for unknown models and 404s). Null when it has nothing to add or the check itself failed.
   */
  @Override
  public @Nullable String diagnose(String model, ApertureException failure) {
    return diagnoser.diagnose(ownModelName(model), failure);
  }

  /** Hides this provider's secrets in {@code text}: its key, header values and base-URL credentials. */
  public String redact(String text) {
    return redactor.redact(text);
  }

  private ChatRequest ownModel(ChatRequest request) {
    return request.withModel(ownModelName(request.model()));
  }

  /**
   * The model without this provider's id as prefix. OpenRouter's own names are {@code vendor/model}, so
   * the prefix is removed only when a vendor part remains: {@code openrouter/qwen/qwen3} becomes
   * {@code qwen/qwen3}, but OpenRouter's own {@code openrouter/auto} stays as it is.
   */
  String ownModelName(String model) {
    String prefix = id + "/";
    if (model.startsWith(prefix) && model.indexOf('/', prefix.length()) > prefix.length()) {
      return model.substring(prefix.length());
    }
    return model;
  }

  @Override
  public String toString() {
    return "OpenRouterProvider{id=" + id + ", baseUrl=" + Endpoints.redacted(settings.baseUrl) + "}";
  }

  private static OkHttpClient client(Builder builder) {
    OkHttpClient.Builder client = builder.client != null
        ? builder.client.newBuilder()
        : DefaultClient.INSTANCE.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(120));
    if (builder.connectTimeout != null) client.connectTimeout(builder.connectTimeout);
    if (builder.readTimeout != null) client.readTimeout(builder.readTimeout);
    if (builder.callTimeout != null) client.callTimeout(builder.callTimeout);
    return NoFollowUps.apply(client).build();
  }

  private static Headers headers(Builder builder) {
    Headers.Builder headers = new Headers.Builder();
    if (!builder.apiKey.isEmpty()) {
      // addUnsafeNonAscii: a key with odd characters still goes out; it is never echoed in errors.
      headers.addUnsafeNonAscii(builder.authorization.headerName(),
          builder.authorization.headerValue(builder.apiKey));
    }
    if (builder.referer != null) headers.add("HTTP-Referer", builder.referer);
    if (builder.title != null) headers.add("X-OpenRouter-Title", builder.title);
    for (String[] header : builder.extraHeaders) headers.set(header[0], header[1]);
    return headers.build();
  }

  /**
   * One shared pool and dispatcher for every provider built without a client of its own. Sized for a
   * server: OkHttp's defaults (5 idle connections, 5 async calls per host) make a busy application or
   * gateway open a new TLS connection for most calls and queue its asynchronous ones.
   */
  private static final class DefaultClient {
    static final OkHttpClient INSTANCE = create();

    private static OkHttpClient create() {
      okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
      dispatcher.setMaxRequests(256);
      dispatcher.setMaxRequestsPerHost(128);
      return new OkHttpClient.Builder()
          .dispatcher(dispatcher)
          .connectionPool(new okhttp3.ConnectionPool(64, 5, java.util.concurrent.TimeUnit.MINUTES))
          .build();
    }
  }

  public static final class Builder {
    private String id = DEFAULT_ID;
    private ApiKey apiKey = ApiKey.none();
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable OkHttpClient client;
    private @Nullable String referer;
    private @Nullable String title;
    private @Nullable Duration connectTimeout;
    private @Nullable Duration readTimeout;
    private @Nullable Duration callTimeout;
    private Authorization authorization = Authorization.BEARER;
    private final List<String[]> extraHeaders = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    Builder() {
    }

    /** The provider id, the prefix of its qualified model names; default {@code openrouter}. */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id == null");
      if (id.isBlank() || id.contains("/")) throw new IllegalArgumentException("invalid id: " + id);
      this.id = id;
      return this;
    }

    /**
     * The key sent with every request. One with a control character (CR, LF, ...) is refused, without
     * quoting it: it would inject headers.
     */
    public Builder apiKey(ApiKey apiKey) {
      Objects.requireNonNull(apiKey, "apiKey == null");
      if (Secrets.hasControlCharacter(apiKey.reveal())) {
        throw new IllegalArgumentException("the API key contains a control character (such as CR or LF),"
            + " which would inject headers into every request; check how it is set");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The key sent with every request, as text; see {@link #apiKey(ApiKey)}. */
    public Builder apiKey(String apiKey) {
      return apiKey(ApiKey.of(Objects.requireNonNull(apiKey, "apiKey == null")));
    }

    /** The API root, default {@code https://openrouter.ai/api/}; {@code v1/chat/completions} is appended. */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl == null");
      if (Endpoints.parse(baseUrl) == null) {
        throw new IllegalArgumentException("baseUrl is not an http or https URL: " + Endpoints.redacted(baseUrl));
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /** The client to share (its pool, dispatcher and interceptors); the timeouts set here override its. */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** Your app's URL, sent as {@code HTTP-Referer} for OpenRouter's attribution. */
    public Builder referer(String referer) {
      this.referer = Objects.requireNonNull(referer, "referer == null");
      return this;
    }

    /** Your app's name, sent as {@code X-OpenRouter-Title}. */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title == null");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** The longest silence while waiting for or reading a response; default 120 s. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /**
     * A bound on one whole non-streamed call; none by default (the Router's deadline, passed as
     * {@link ChatRequest#timeout()}, bounds each call too, and the shorter wins).
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** How the key is sent; default {@code Authorization: Bearer <key>}. */
    public Builder authorization(Authorization authorization) {
      this.authorization = Objects.requireNonNull(authorization, "authorization == null");
      return this;
    }

    /**
     * A header sent with every request, like the configuration's {@code add_headers}. Its value is treated
     * as a secret (redacted from every message). A value with a control character (CR, LF, ...) is
     * refused, without quoting it.
     */
    public Builder addHeader(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      new Headers.Builder().add(name, "x"); // Validates the name now rather than at the first call.
      if (Secrets.hasControlCharacter(value)) {
        throw new IllegalArgumentException("header '" + name + "' has a control character (such as CR or"
            + " LF) in its value, which would inject headers");
      }
      extraHeaders.add(new String[] {name, value});
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    public OpenRouterProvider build() {
      return new OpenRouterProvider(this);
    }

    Builder copy() {
      Builder copy = new Builder();
      copy.id = id;
      copy.apiKey = apiKey;
      copy.baseUrl = baseUrl;
      copy.client = client;
      copy.referer = referer;
      copy.title = title;
      copy.connectTimeout = connectTimeout;
      copy.readTimeout = readTimeout;
      copy.callTimeout = callTimeout;
      copy.authorization = authorization;
      copy.extraHeaders.addAll(extraHeaders);
      copy.clock = clock;
      return copy;
    }
  }
}
