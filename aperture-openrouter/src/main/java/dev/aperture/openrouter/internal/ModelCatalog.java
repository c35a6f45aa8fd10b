package dev.aperture.openrouter.internal;

import com.squareup.moshi.JsonReader;
import dev.aperture.ModelPricing;
import dev.aperture.Redactor;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's prices per model from its public catalog ({@code GET v1/models}:
 * {@code data[].pricing.prompt} and {@code .completion}, dollars per token as decimal strings), loaded in
 * the background on first use and kept. {@link #pricing} never blocks: it answers from what is loaded
 * (null before the first load) and starts a refresh when the copy is older than {@link #MAX_AGE} — at
 * most one fetch at a time, and after a failed fetch none for {@link #RETRY_AFTER_FAILURE}.
 */
public final class ModelCatalog {
  public static final Duration MAX_AGE = Duration.ofHours(1);
  public static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

  private static final System.Logger LOG = System.getLogger(ModelCatalog.class.getName());
  private static final JsonReader.Options DATA = JsonReader.Options.of("data");
  private static final JsonReader.Options MODEL_FIELDS = JsonReader.Options.of("id", "pricing");
  private static final JsonReader.Options PRICE_FIELDS = JsonReader.Options.of("prompt", "completion");

  private final OkHttpClient client;
  private final HttpUrl modelsUrl;
  private final Headers headers;
  private final Clock clock;
  private final Redactor redactor;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private volatile Map<String, ModelPricing> prices = Map.of();
  /** When the next fetch may start; null before the first. */
  private volatile @Nullable Instant nextFetch;

  public ModelCatalog(OkHttpClient client, HttpUrl modelsUrl, Headers headers, Clock clock,
      Redactor redactor) {
    this.client = client;
    this.modelsUrl = modelsUrl;
    this.headers = headers;
    this.clock = clock;
    this.redactor = redactor;
  }

  /** The price of {@code model} (OpenRouter's own id) if the catalog has been loaded and lists it. */
  public @Nullable ModelPricing pricing(String model) {
    Instant due = nextFetch;
    if (due == null || !clock.instant().isBefore(due)) refresh();
    return prices.get(model);
  }

  private void refresh() {
    if (!fetching.compareAndSet(false, true)) return;
    Call call;
    try {
      call = client.newCall(new Request.Builder().url(modelsUrl).headers(headers).get().build());
    } catch (RuntimeException e) {
      failed("could not be asked for: " + e);
      return;
    }
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failed("fetch failed: " + e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          if (!response.isSuccessful()) {
            failed("fetch answered HTTP " + response.code());
            return;
          }
          Map<String, ModelPricing> loaded = read(JsonReader.of(response.body().source()));
          prices = Map.copyOf(loaded);
          nextFetch = clock.instant().plus(MAX_AGE);
          fetching.set(false);
          LOG.log(System.Logger.Level.DEBUG, () -> "model catalog: " + loaded.size() + " priced models");
        } catch (IOException | RuntimeException e) {
          failed("unreadable catalog: " + e);
        }
      }
    });
  }

  private void failed(String why) {
    nextFetch = clock.instant().plus(RETRY_AFTER_FAILURE);
    fetching.set(false);
    LOG.log(System.Logger.Level.DEBUG, () -> redactor.redact("model catalog " + why));
  }

  static Map<String, ModelPricing> read(JsonReader reader) throws IOException {
    Map<String, ModelPricing> result = new HashMap<>();
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(DATA) != 0 || reader.peek() != JsonReader.Token.BEGIN_ARRAY) {
        if (reader.peek() == JsonReader.Token.NAME) reader.skipName();
        reader.skipValue();
        continue;
      }
      reader.beginArray();
      while (reader.hasNext()) {
        if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        String id = null;
        BigDecimal[] price = null;
        reader.beginObject();
        while (reader.hasNext()) {
          switch (reader.selectName(MODEL_FIELDS)) {
            case 0 -> id = reader.peek() == JsonReader.Token.STRING ? reader.nextString() : skip(reader);
            case 1 -> price = readPrice(reader);
            default -> {
              if (reader.peek() == JsonReader.Token.NAME) reader.skipName();
              reader.skipValue();
            }
          }
        }
        reader.endObject();
        // A negative price (-1) marks a router whose price varies: unknown, not free.
        if (id != null && price != null && price[0] != null && price[1] != null
            && price[0].signum() >= 0 && price[1].signum() >= 0) {
          result.put(id, ModelPricing.of(price[0], price[1]));
        }
      }
      reader.endArray();
    }
    reader.endObject();
    return result;
  }

  private static @Nullable String skip(JsonReader reader) throws IOException {
    reader.skipValue();
    return null;
  }

  private static BigDecimal @Nullable [] readPrice(JsonReader reader) throws IOException {
    if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
      reader.skipValue();
      return null;
    }
    BigDecimal[] result = new BigDecimal[2];
    reader.beginObject();
    while (reader.hasNext()) {
      int index = reader.selectName(PRICE_FIELDS);
      if (index < 0) {
        reader.skipName();
        reader.skipValue();
      } else if (reader.peek() == JsonReader.Token.STRING || reader.peek() == JsonReader.Token.NUMBER) {
        result[index] = decimal(reader.nextString());
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    return result;
  }

  private static @Nullable BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
