package dev.aperture.openrouter.internal;

import com.squareup.moshi.JsonReader;
import dev.aperture.Redactor;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * What a generation cost after the fact: {@code GET v1/generation?id=} answers
 * {@code {"data":{"id", "total_cost", ...}}} with the cost in dollars. Asynchronous (OkHttp's dispatcher,
 * no thread waits), and never fails: anything but a readable cost completes with null, logged at DEBUG.
 * OpenRouter answers 404 for a few seconds after a generation ends, until its record is written; the
 * caller may ask again later.
 */
public final class GenerationCosts {
  private static final System.Logger LOG = System.getLogger(GenerationCosts.class.getName());
  private static final JsonReader.Options DATA = JsonReader.Options.of("data");
  private static final JsonReader.Options TOTAL_COST = JsonReader.Options.of("total_cost");

  private final OkHttpClient client;
  private final Function<String, HttpUrl> urls;
  private final Headers headers;
  private final Redactor redactor;

  public GenerationCosts(OkHttpClient client, Function<String, HttpUrl> urls, Headers headers,
      Redactor redactor) {
    this.client = client;
    this.urls = urls;
    this.headers = headers;
    this.redactor = redactor;
  }

  public CompletableFuture<@Nullable BigDecimal> cost(String generationId) {
    CompletableFuture<@Nullable BigDecimal> result = new CompletableFuture<>();
    if (generationId == null || generationId.isBlank()) {
      result.complete(null);
      return result;
    }
    Call call;
    try {
      call = client.newCall(new Request.Builder().url(urls.apply(generationId)).headers(headers).get()
          .build());
    } catch (RuntimeException e) {
      debug(generationId, "could not be asked for: " + e);
      result.complete(null);
      return result;
    }
    result.whenComplete((value, failure) -> {
      if (result.isCancelled()) call.cancel();
    });
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        debug(generationId, "lookup failed: " + e);
        result.complete(null);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          if (!response.isSuccessful()) {
            debug(generationId, "lookup answered HTTP " + response.code());
            result.complete(null);
            return;
          }
          BigDecimal cost = read(JsonReader.of(response.body().source()));
          if (cost == null) debug(generationId, "lookup answered without a total_cost");
          result.complete(cost);
        } catch (IOException | RuntimeException e) {
          debug(generationId, "lookup answered an unreadable body: " + e);
          result.complete(null);
        }
      }
    });
    return result;
  }

  private static @Nullable BigDecimal read(JsonReader reader) throws IOException {
    BigDecimal cost = null;
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.selectName(DATA) != 0 || reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
        if (reader.peek() == JsonReader.Token.NAME) reader.skipName();
        reader.skipValue();
        continue;
      }
      reader.beginObject();
      while (reader.hasNext()) {
        if (reader.selectName(TOTAL_COST) == 0 && reader.peek() == JsonReader.Token.NUMBER) {
          cost = decimal(reader.nextString());
        } else {
          if (reader.peek() == JsonReader.Token.NAME) reader.skipName();
          reader.skipValue();
        }
      }
      reader.endObject();
    }
    reader.endObject();
    return cost;
  }

  private static @Nullable BigDecimal decimal(String text) {
    try {
      BigDecimal value = new BigDecimal(text);
      return value.signum() >= 0 ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void debug(String generationId, String what) {
    LOG.log(System.Logger.Level.DEBUG, () -> redactor.redact("generation " + generationId + ": " + what));
  }
}
