package dev.aperture.openrouter;

import dev.aperture.ApiFormat;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.ProviderConfig;
import dev.aperture.openrouter.internal.Endpoints;
import dev.aperture.openrouter.internal.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link OpenRouterProvider} from a configuration entry ({@code "type": "openrouter"}, or a
 * base URL on {@code openrouter.ai}): {@code baseurl}, {@code apikey}, {@code authorization} and
 * {@code add_headers} are honoured. OpenRouter serves chat completions only, so an entry whose
 * {@code compatibility} enables any other format (such as {@code openai_responses}) is rejected.
 */
public final class OpenRouterProviderFactory implements ProviderFactory {
  private final @Nullable OkHttpClient client;

  /** Providers get a shared default client. */
  public OpenRouterProviderFactory() {
    this.client = null;
  }

  /**
   * Providers share {@code client} (its pool and dispatcher), changed so that it never re-sends a call by
   * itself: retries are the Router's.
   */
  public OpenRouterProviderFactory(OkHttpClient client) {
    this.client = Objects.requireNonNull(client, "client == null");
  }

  @Override
  public String type() {
    return "openrouter";
  }

  @Override
  public boolean matchesHost(String host) {
    return host.equals("openrouter.ai") || host.endsWith(".openrouter.ai");
  }

  @Override
  public Provider create(ProviderConfig config) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (ApiFormat format : ApiFormat.values()) {
      if (format != ApiFormat.OPENAI_CHAT && config.compatibility().contains(format)) {
        problems.add(new ConfigProblem(config.path() + ".compatibility." + format.wireName(), 0,
            "OpenRouter has only chat completions (openai_chat); it does not serve "
                + format.wireName() + ". Remove the flag or set it to false."));
      }
    }
    if (!config.compatibility().contains(ApiFormat.OPENAI_CHAT)) {
      problems.add(new ConfigProblem(config.path() + ".compatibility.openai_chat", 0,
          "OpenRouter is called with chat completions: openai_chat must be enabled"));
    }
    OpenRouterProvider.Builder builder = OpenRouterProvider.builder()
        .id(config.id())
        .authorization(config.authorization());
    try {
      builder.apiKey(config.apiKey());
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigProblem(config.path() + ".apikey", 0, "the key contains a control character"
          + " (such as CR or LF), which would inject headers into every request"));
    }
    if (client != null) builder.client(client);
    try {
      builder.baseUrl(config.baseUrl());
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigProblem(config.path() + ".baseurl", 0,
          "not an http or https URL: " + Endpoints.redacted(config.baseUrl())));
    }
    for (ProviderConfig.Header header : config.addHeaders()) {
      try {
        builder.addHeader(header.name(), header.value());
      } catch (IllegalArgumentException e) {
        // Never quote the value: it may be a credential.
        problems.add(new ConfigProblem(config.path() + ".add_headers", 0,
            Secrets.hasControlCharacter(header.value())
                ? "header '" + header.name() + "' has a control character (such as CR or LF) in its value"
                : "invalid header name '" + header.name() + "'"));
      }
    }
    if (!problems.isEmpty()) throw new ConfigurationException(problems);
    return builder.build();
  }

  @Override
  public String toString() {
    return "OpenRouterProviderFactory";
  }
}
