package dev.aperture.openrouter.internal;

import com.squareup.moshi.JsonReader;
import dev.aperture.ApertureException;
import dev.aperture.AuthenticationException;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ProviderException;
import dev.aperture.Redactor;
import dev.aperture.internal.Suggestions;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Explains a failed verification with OpenRouter's own endpoints: {@code GET v1/key} for rejected keys
 * and exhausted credits, {@code GET v1/models} for models OpenRouter does not list. Never throws: when
 * a check itself fails, it has nothing to add and returns null.
 */
public final class Diagnoser {
  private static final System.Logger LOG = System.getLogger(Diagnoser.class.getName());
  private static final JsonReader.Options DATA = JsonReader.Options.of("data");
  private static final JsonReader.Options KEY_FIELDS = JsonReader.Options.of(
      "limit", "usage", "limit_remaining", "is_free_tier");
  private static final JsonReader.Options MODEL_FIELDS = JsonReader.Options.of("id");

  private final OkHttpClient client;
  private final HttpUrl keyUrl;
  private final HttpUrl modelsUrl;
  private final Headers headers;
  private final Redactor redactor;

  public Diagnoser(OkHttpClient client, HttpUrl keyUrl, HttpUrl modelsUrl, Headers headers,
      Redactor redactor) {
    this.client = client;
    this.keyUrl = keyUrl;
    this.modelsUrl = modelsUrl;
    this.headers = headers;
    this.redactor = redactor;
  }

  /** One line on why {@code failure} happened, redacted; null when there is nothing to add. */
  public @Nullable String diagnose(String model, ApertureException failure) {
    String diagnosis = check(model, failure);
    return diagnosis != null ? redactor.redact(diagnosis) : null;
  }

  private @Nullable String check(String model, ApertureException failure) {
    try {
      int status = failure instanceof ProviderException e ? e.statusCode() : 0;
      String code = failure instanceof ProviderException e ? e.errorCode() : null;
      if (failure instanceof AuthenticationException || failure instanceof InsufficientCreditsException
          || status == 401 || status == 402) {
        return checkKey();
      }
      if (status == 404 || status == 400 || "404".equals(code) || "400".equals(code)) {
        return checkModel(model);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> redactor.redact("diagnosis failed: " + e));
      return null;
    }
  }

  private @Nullable String checkKey() throws IOException {
    try (Response response = get(keyUrl)) {
      if (response.code() == 401 || response.code() == 403) {
        return "OpenRouter rejected the API key (GET " + keyUrl.encodedPath() + " answered HTTP "
            + response.code() + "): check the provider's apikey";
      }
      if (!response.isSuccessful()) return null;
      BigDecimal limit = null;
      BigDecimal usage = null;
      BigDecimal remaining = null;
      boolean freeTier = false;
      JsonReader reader = JsonReader.of(response.body().source());
      reader.beginObject();
      while (reader.hasNext()) {
        if (reader.selectName(DATA) != 0) {
          reader.skipName();
          reader.skipValue();
          continue;
        }
        reader.beginObject();
        while (reader.hasNext()) {
          switch (reader.selectName(KEY_FIELDS)) {
            case 0 -> limit = decimal(reader);
            case 1 -> usage = decimal(reader);
            case 2 -> remaining = decimal(reader);
            case 3 -> freeTier = reader.peek() == JsonReader.Token.BOOLEAN && reader.nextBoolean();
            default -> {
              reader.skipName();
              reader.skipValue();
            }
          }
          if (reader.peek() == JsonReader.Token.NULL) reader.skipValue();
        }
        reader.endObject();
      }
      String tier = freeTier ? " (free tier)" : "";
      if (limit == null) {
        return "the API key is valid and has no credit limit" + tier
            + (usage != null ? "; " + dollars(usage) + " used" : "");
      }
      if (remaining == null && usage != null) remaining = limit.subtract(usage);
      return "the API key is valid and has " + (remaining != null ? dollars(remaining) : "?") + " of "
          + dollars(limit) + " left" + tier;
    }
  }

  private @Nullable String checkModel(String model) throws IOException {
    List<String> ids = new ArrayList<>();
    try (Response response = get(modelsUrl)) {
      if (!response.isSuccessful()) return null;
      BufferedSource source = response.body().source();
      JsonReader reader = JsonReader.of(source);
      reader.beginObject();
      while (reader.hasNext()) {
        if (reader.selectName(DATA) != 0) {
          reader.skipName();
          reader.skipValue();
          continue;
        }
        reader.beginArray();
        while (reader.hasNext()) {
          reader.beginObject();
          while (reader.hasNext()) {
            if (reader.selectName(MODEL_FIELDS) == 0 && reader.peek() == JsonReader.Token.STRING) {
              ids.add(reader.nextString());
            } else {
              if (reader.peek() == JsonReader.Token.NAME) reader.skipName();
              reader.skipValue();
            }
          }
          reader.endObject();
        }
        reader.endArray();
      }
    }
    if (ids.isEmpty() || ids.contains(model)) return null;
    String closest = closest(model, ids);
    return "model '" + model + "' is not on OpenRouter"
        + (closest != null ? "; did you mean '" + closest + "'?" : " (see https://openrouter.ai/models)");
  }

  /** The listed id nearest to {@code model}, if it is near enough to be a typo. */
  static @Nullable String closest(String model, List<String> ids) {
    List<String> nearest = Suggestions.nearest(model, ids, 1);
    return nearest.isEmpty() ? null : nearest.get(0);
  }

  private Response get(HttpUrl url) throws IOException {
    return client.newCall(new Request.Builder().url(url).headers(headers).get().build()).execute();
  }

  private static @Nullable BigDecimal decimal(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token != JsonReader.Token.NUMBER && token != JsonReader.Token.STRING) return null;
    try {
      return new BigDecimal(reader.nextString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String dollars(BigDecimal amount) {
    return "$" + amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }
}
