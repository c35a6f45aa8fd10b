package dev.aperture.benchmarks;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The floor every other way is measured against: the chat call written by hand with OkHttp and Moshi's
 * streaming reader and writer, as an application would that wanted no SDK at all. It does the same work
 * the SDK must (serialise the request each call, send the key, parse the fields an application reads,
 * fail on a non-2xx) and nothing else: no models, no maps of unknown fields, no routing.
 */
final class RawOkHttp {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final JsonReader.Options COMPLETION_FIELDS =
      JsonReader.Options.of("id", "model", "provider", "choices", "usage");
  private static final JsonReader.Options CHOICE_FIELDS =
      JsonReader.Options.of("index", "message", "delta", "finish_reason");
  private static final JsonReader.Options MESSAGE_FIELDS = JsonReader.Options.of("role", "content");
  private static final JsonReader.Options USAGE_FIELDS =
      JsonReader.Options.of("prompt_tokens", "completion_tokens", "total_tokens", "cost");

  private final OkHttpClient client;
  private final HttpUrl url;
  private final String authorization;

  RawOkHttp(OkHttpClient client, String baseUrl, String apiKey) {
    this.client = client;
    this.url = HttpUrl.get(baseUrl).resolve("v1/chat/completions");
    this.authorization = "Bearer " + apiKey;
  }

  /** The fields an application reads from a completion or from one streamed chunk. */
  record Completion(
      @Nullable String id,
      @Nullable String model,
      @Nullable String provider,
      @Nullable String content,
      @Nullable String finishReason,
      long promptTokens,
      long completionTokens,
      long totalTokens,
      @Nullable BigDecimal cost) {
  }

  Completion chat() {
    return chat(client.newCall(request(false)));
  }

  /**
   * The floor plus one thing the OpenRouter provider does per call: a call timeout (its retry deadline),
   * which OkHttp enforces by putting the call on its timeout watchdog's queue. A diagnostic, not a way.
   */
  Completion chatWithCallTimeout() {
    Call call = client.newCall(request(false));
    call.timeout().timeout(10, TimeUnit.MINUTES);
    return chat(call);
  }

  private static Completion chat(Call call) {
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) throw new IllegalStateException("HTTP " + response.code());
      return parse(JsonReader.of(response.body().source()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a streamed call; returns once the status and headers are in, like {@code Provider.stream}. */
  Stream stream() {
    Call call = client.newCall(request(true));
    try {
      Response response = call.execute();
      if (!response.isSuccessful()) {
        response.close();
        throw new IllegalStateException("HTTP " + response.code());
      }
      return new Stream(call, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data events of one SSE response, each parsed as it is read. Comments are skipped. */
  static final class Stream implements Closeable {
    private final Call call;
    private final Response response;
    private final BufferedSource source;
    private boolean done;

    Stream(Call call, Response response) {
      this.call = call;
      this.response = response;
      this.source = response.body().source();
    }

    /** The next chunk, or null after {@code data: [DONE]}. */
    @Nullable Completion next() {
      try {
        while (!done) {
          String line = source.readUtf8Line();
          if (line == null) throw new IOException("stream ended without [DONE]");
          if (!line.startsWith("data:")) continue; // Blank separators and ": comments".
          String data = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
          if (data.equals("[DONE]")) {
            done = true;
            return null;
          }
          return parse(JsonReader.of(new Buffer().writeUtf8(data)));
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      if (!done) call.cancel();
      response.close();
    }
  }

  private Request request(boolean stream) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", authorization)
        .post(RequestBody.create(requestBody(stream), JSON))
        .build();
  }

  /** The request body, written by hand. */
  static ByteString requestBody(boolean stream) {
    Buffer body = new Buffer();
    try (JsonWriter writer = JsonWriter.of(body)) {
      writer.beginObject();
      writer.name("model").value(BenchmarkRequest.MODEL);
      writer.name("messages").beginArray();
      writer.beginObject().name("role").value("system").name("content").value(BenchmarkRequest.SYSTEM)
          .endObject();
      writer.beginObject().name("role").value("user").name("content").value(BenchmarkRequest.USER)
          .endObject();
      writer.endArray();
      if (stream) writer.name("stream").value(true);
      writer.name("temperature").value(BenchmarkRequest.TEMPERATURE);
      writer.name("max_tokens").value(BenchmarkRequest.MAX_TOKENS);
      writer.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return body.readByteString();
  }

  /** Reads a completion or a chunk: the first choice's message or delta, and the usage. */
  static Completion parse(JsonReader reader) throws IOException {
    String id = null;
    String model = null;
    String provider = null;
    String content = null;
    String finishReason = null;
    long promptTokens = 0;
    long completionTokens = 0;
    long totalTokens = 0;
    BigDecimal cost = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(COMPLETION_FIELDS)) {
        case 0 -> id = reader.nextString();
        case 1 -> model = reader.nextString();
        case 2 -> provider = reader.nextString();
        case 3 -> {
          reader.beginArray();
          boolean first = true;
          while (reader.hasNext()) {
            if (!first) {
              reader.skipValue();
              continue;
            }
            first = false;
            reader.beginObject();
            while (reader.hasNext()) {
              switch (reader.selectName(CHOICE_FIELDS)) {
                case 1, 2 -> {
                  reader.beginObject();
                  while (reader.hasNext()) {
                    int field = reader.selectName(MESSAGE_FIELDS);
                    if (field == -1) reader.skipName();
                    if (field == 1 && reader.peek() != JsonReader.Token.NULL) {
                      content = reader.nextString();
                    } else {
                      reader.skipValue();
                    }
                  }
                  reader.endObject();
                }
                case 3 -> finishReason = reader.peek() == JsonReader.Token.NULL
                    ? reader.<String>nextNull() : reader.nextString();
                case 0 -> reader.skipValue();
                default -> {
                  reader.skipName();
                  reader.skipValue();
                }
              }
            }
            reader.endObject();
          }
          reader.endArray();
        }
        case 4 -> {
          reader.beginObject();
          while (reader.hasNext()) {
            switch (reader.selectName(USAGE_FIELDS)) {
              case 0 -> promptTokens = reader.nextLong();
              case 1 -> completionTokens = reader.nextLong();
              case 2 -> totalTokens = reader.nextLong();
              case 3 -> cost = new BigDecimal(reader.nextString());
              default -> {
                reader.skipName();
                reader.skipValue();
              }
            }
          }
          reader.endObject();
        }
        default -> {
          reader.skipName();
          reader.skipValue();
        }
      }
    }
    reader.endObject();
    return new Completion(id, model, provider, content, finishReason, promptTokens, completionTokens,
        totalTokens, cost);
  }
}
