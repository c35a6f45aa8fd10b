package dev.aperture.openrouter;

import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Provider;
import dev.aperture.config.Authorization;
import dev.aperture.openrouter.internal.ChatTransport;
import dev.aperture.openrouter.internal.Diagnoser;
import dev.aperture.openrouter.internal.Endpoints;
import dev.aperture.openrouter.internal.OpenRouterErrors;
import dev.aperture.openrouter.internal.RetryExecutor;
import dev.aperture.openrouter.internal.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's chat completions ({@code POST {baseUrl}v1/chat/completions}) as a {@link Provider}:
 * blocking, streamed and asynchronous calls, typed errors, and retries by a {@link RetryPolicy}.
 * OpenRouter has no Responses API, so {@link #apiFormats()} is {@code openai_chat} alone.
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

  private final Builder settings;
  private final String id;
  private final ChatTransport transport;
  private final Diagnoser diagnoser;

  private OpenRouterProvider(Builder builder) {
    this.settings = builder.copy();
    this.id = builder.id;
    Endpoints endpoints = Endpoints.parse(builder.baseUrl);
    if (endpoints == null) {
      throw new IllegalArgumentException("baseUrl is not an http or https URL: " + Endpoints.redacted(builder.baseUrl));
    }
    OkHttpClient client = client(builder);
    Headers headers = headers(builder);
    OpenRouterErrors errors = new OpenRouterErrors(id, builder.apiKey, builder.clock);
    RetryExecutor retries = new RetryExecutor(builder.retryPolicy, builder.clock, builder.sleeper,
        builder.random);
    this.transport = new ChatTransport(id, client, endpoints.chatCompletions(), headers, errors, retries);
    OkHttpClient diagnoseClient = client.newBuilder().callTimeout(Duration.ofSeconds(15)).build();
    this.diagnoser = new Diagnoser(diagnoseClient, endpoints.key(), endpoints.models(), headers);
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
   * Asks OpenRouter why a check failed: whether the key is accepted and how much credit it has (for
   * authentication and credit failures), or whether OpenRouter lists the model and which listed model is
   * nearest (for unknown models and 404s). Null when it has nothing to add or the check itself failed.
   */
  @Override
  public @Nullable String diagnose(String model, ApertureException failure) {
    return diagnoser.diagnose(ownModelName(model), failure);
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
    return client.build();
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
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Authorization authorization = Authorization.BEARER;
    private final List<String[]> extraHeaders = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    Builder() {
    }

    /** The provider id, the prefix of its qualified model names; default {@code openrouter}. */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id == null");
      if (id.isBlank() || id.contains("/")) throw new IllegalArgumentException("invalid id: " + id);
      this.id = id;
      return this;
    }

    public Builder apiKey(ApiKey apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

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

    /** A bound on one whole non-streamed attempt; none by default (the retry deadline bounds all). */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy == null");
      return this;
    }

    /** How the key is sent; default {@code Authorization: Bearer <key>}. */
    public Builder authorization(Authorization authorization) {
      this.authorization = Objects.requireNonNull(authorization, "authorization == null");
      return this;
    }

    /** A header sent with every request, like the configuration's {@code add_headers}. */
    public Builder addHeader(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      new Headers.Builder().add(name, "x"); // Validates the name now rather than at the first call.
      extraHeaders.add(new String[] {name, value});
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random == null");
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
      copy.retryPolicy = retryPolicy;
      copy.authorization = authorization;
      copy.extraHeaders.addAll(extraHeaders);
      copy.clock = clock;
      copy.sleeper = sleeper;
      copy.random = random;
      return copy;
    }
  }
}
