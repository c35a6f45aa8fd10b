package dev.aperture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A chat-completions request: the model, the messages, the common parameters, and every other field the
 * application sets, kept losslessly as JSON-like values in {@link #parameters()} so that tools,
 * {@code response_format}, OpenRouter's {@code provider} and {@code models} preferences, and fields no
 * version of this SDK knows reach the provider unchanged.
 *
 * <p>Immutable; build one with {@link #builder()} and change a copy with {@link #newBuilder()}. Whether the
 * call streams is decided by the entry point ({@link Router#chat} or {@link Router#stream}), not here.
 */
public final class ChatRequest {
  /** Fields that have their own accessors and so are not accepted by {@link Builder#put}. */
  static final Set<String> TYPED_FIELDS = Set.of(
      "model", "messages", "stream", "temperature", "top_p", "max_tokens", "stop", "seed");

  private final String model;
  private final List<Message> messages;
  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Integer maxTokens;
  private final List<String> stop;
  private final @Nullable Long seed;
  private final Map<String, @Nullable Object> parameters;
  private final Map<String, String> headers;
  private final java.time.@Nullable Duration timeout;

  private ChatRequest(Builder builder) {
    this.model = Objects.requireNonNull(builder.model, "model == null");
    if (model.isBlank()) throw new IllegalArgumentException("model is blank");
    this.messages = List.copyOf(builder.messages);
    this.temperature = builder.temperature;
    this.topP = builder.topP;
    this.maxTokens = builder.maxTokens;
    this.stop = List.copyOf(builder.stop);
    this.seed = builder.seed;
    this.parameters = JsonValues.copyOfObject(builder.parameters, "parameters");
    this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
    this.timeout = builder.timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A one-message request: the quickest way to ask a model something. */
  public static ChatRequest of(String model, String userText) {
    return builder().model(model).addMessage(Message.user(userText)).build();
  }

  /** The model as asked for: bare ({@code vendor/model}) or with a provider prefix. */
  public String model() {
    return model;
  }

  public List<Message> messages() {
    return messages;
  }

  public @Nullable Double temperature() {
    return temperature;
  }

  public @Nullable Double topP() {
    return topP;
  }

  public @Nullable Integer maxTokens() {
    return maxTokens;
  }

  public List<String> stop() {
    return stop;
  }

  public @Nullable Long seed() {
    return seed;
  }

  /**
   * Every field other than the typed ones, in the order set, as JSON-like values: String, Number,
   * Boolean, null, List and Map. This is where {@code tools}, {@code tool_choice},
   * {@code response_format}, {@code provider}, {@code models}, {@code reasoning}, ... live.
   */
  public Map<String, @Nullable Object> parameters() {
    return parameters;
  }

  /** The value of one extra field, or null if it is absent (or JSON null). */
  public @Nullable Object parameter(String name) {
    return parameters.get(name);
  }

  /** A copy that asks for {@code model} instead; used by the Router to send the provider's own name. */
  public ChatRequest withModel(String model) {
    if (model.equals(this.model)) return this;
    if (model.isBlank()) throw new IllegalArgumentException("model is blank");
    return new ChatRequest(this, model); // Everything else is immutable already: share it.
  }

  private ChatRequest(ChatRequest source, String model) {
    this.model = model;
    this.messages = source.messages;
    this.temperature = source.temperature;
    this.topP = source.topP;
    this.maxTokens = source.maxTokens;
    this.stop = source.stop;
    this.seed = source.seed;
    this.parameters = source.parameters;
    this.headers = source.headers;
    this.timeout = source.timeout;
  }

  /**
   * Extra HTTP headers for the upstream request, not part of the body: the Router puts a matching grant's
   * {@code add_headers} here. Values may be secrets: {@link #toString()} shows names only.
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * How long this attempt may take at most, set by the Router from the call's deadline; null for no limit.
   * A provider bounds its whole attempt by it (for a stream: until the response has begun).
   */
  public java.time.@Nullable Duration timeout() {
    return timeout;
  }

  public Builder newBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ChatRequest that
        && model.equals(that.model)
        && messages.equals(that.messages)
        && Objects.equals(temperature, that.temperature)
        && Objects.equals(topP, that.topP)
        && Objects.equals(maxTokens, that.maxTokens)
        && stop.equals(that.stop)
        && Objects.equals(seed, that.seed)
        && parameters.equals(that.parameters)
        && headers.equals(that.headers)
        && Objects.equals(timeout, that.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, messages, temperature, topP, maxTokens, stop, seed, parameters);
  }

  /** Names the model and the shape of the request, never its message text. */
  @Override
  public String toString() {
    return "ChatRequest{model=" + model + ", messages=" + messages.size()
        + (parameters.isEmpty() ? "" : ", parameters=" + parameters.keySet())
        + (headers.isEmpty() ? "" : ", headers=" + headers.keySet())
        + (timeout == null ? "" : ", timeout=" + timeout) + "}";
  }

  public static final class Builder {
    private @Nullable String model;
    private final List<Message> messages = new ArrayList<>();
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private @Nullable Long seed;
    private final Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private java.time.@Nullable Duration timeout;

    Builder() {
    }

    Builder(ChatRequest request) {
      this.model = request.model;
      this.messages.addAll(request.messages);
      this.temperature = request.temperature;
      this.topP = request.topP;
      this.maxTokens = request.maxTokens;
      this.stop.addAll(request.stop);
      this.seed = request.seed;
      this.parameters.putAll(request.parameters);
      this.headers.putAll(request.headers);
      this.timeout = request.timeout;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model == null");
      return this;
    }

    public Builder messages(List<Message> messages) {
      this.messages.clear();
      for (Message message : messages) addMessage(message);
      return this;
    }

    public Builder addMessage(Message message) {
      messages.add(Objects.requireNonNull(message, "message == null"));
      return this;
    }

    public Builder system(String text) {
      return addMessage(Message.system(text));
    }

    public Builder user(String text) {
      return addMessage(Message.user(text));
    }

    public Builder temperature(@Nullable Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(@Nullable Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder maxTokens(@Nullable Integer maxTokens) {
      if (maxTokens != null && maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop.clear();
      this.stop.addAll(stop);
      return this;
    }

    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** The {@code tools} array, as JSON-like values. See {@link #addFunctionTool}. */
    public Builder tools(List<?> tools) {
      return put("tools", tools);
    }

    /** Appends a {@code {"type":"function","function":{...}}} tool. */
    public Builder addFunctionTool(String name, String description, Map<String, ?> parametersSchema) {
      Map<String, @Nullable Object> function = new LinkedHashMap<>();
      function.put("name", name);
      function.put("description", description);
      function.put("parameters", parametersSchema);
      Map<String, @Nullable Object> tool = new LinkedHashMap<>();
      tool.put("type", "function");
      tool.put("function", function);
      List<@Nullable Object> tools = new ArrayList<>();
      if (parameters.get("tools") instanceof List<?> existing) tools.addAll(existing);
      tools.add(tool);
      return put("tools", tools);
    }

    /** {@code "auto"}, {@code "none"}, {@code "required"}, or a map naming one function. */
    public Builder toolChoice(Object toolChoice) {
      return put("tool_choice", toolChoice);
    }

    public Builder responseFormat(Map<String, ?> responseFormat) {
      return put("response_format", responseFormat);
    }

    /**
     * Sets any other field of the request body, as a JSON-like value (String, Number, Boolean, null,
     * List, Map). Typed fields ({@code model}, {@code messages}, {@code temperature}, {@code top_p},
     * {@code max_tokens}, {@code stop}, {@code seed}) have their own methods; {@code stream} is decided by
     * the entry point.
     */
    public Builder put(String name, @Nullable Object value) {
      Objects.requireNonNull(name, "name == null");
      if (TYPED_FIELDS.contains(name)) {
        throw new IllegalArgumentException("'" + name + "' is not a free parameter: "
            + ("stream".equals(name) ? "call Router.stream(...) to stream"
                : "use the builder's own method for it"));
      }
      parameters.put(name, JsonValues.copy(value, name));
      return this;
    }

    public Builder remove(String name) {
      parameters.remove(name);
      return this;
    }

    /**
     * Adds an upstream HTTP header (not a body field). The name must be a valid token and the value must
     * not contain CR, LF or other control characters (they would inject headers).
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw new IllegalArgumentException("invalid header name '" + name + "'");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 32 && c != '\t') || c == 127) {
          throw new IllegalArgumentException("header '" + name + "' has a control character in its value");
        }
      }
      headers.put(name, value);
      return this;
    }

    /** This attempt's time limit; null for none. Set by the Router from the call's deadline. */
    public Builder timeout(java.time.@Nullable Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(this);
    }
  }
}
