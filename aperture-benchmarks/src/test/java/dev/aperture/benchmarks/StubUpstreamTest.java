package dev.aperture.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class StubUpstreamTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String PLAIN_BODY = "{\"model\":\"m\",\"messages\":[]}";
  private static final String STREAM_BODY = "{\"model\":\"m\",\"stream\" : true,\"messages\":[]}";

  private final StubUpstream stub = StubUpstream.start(0);
  private final OkHttpClient client = new OkHttpClient();

  @AfterEach
  void tearDown() {
    stub.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void answersTheChatCompletionFixtureWithItsGenerationId() throws IOException {
    try (Response response = client.newCall(post(RequestBody.create(PLAIN_BODY, JSON))).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("X-Generation-Id")).isEqualTo(StubUpstream.GENERATION_ID);
      assertThat(response.body().bytes()).isEqualTo(StubUpstream.chatCompletionBody());
    }
  }

  @Test
  void streamsFiftyTwoEventsEndingWithUsageAndDoneWhenAskedToStream() throws IOException {
    try (Response response = client.newCall(post(RequestBody.create(STREAM_BODY, JSON))).execute()) {
      assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
      String body = response.body().string();
      assertThat(body.split("\n\n")).hasSize(StubUpstream.STREAM_CONTENT_CHUNKS + 4 + 1 /* comment */);
      assertThat(body).startsWith(": OPENROUTER PROCESSING\n\n");
      assertThat(body).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":9");
      assertThat(body).endsWith("data: [DONE]\n\n");
    }
  }

  @Test
  void readsAChunkedRequestBodyWithTheStreamFlagSplitAcrossChunks() throws IOException {
    RequestBody chunked = new RequestBody() {
      @Override
      public @Nullable MediaType contentType() {
        return JSON;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        // contentLength() is -1, so OkHttp sends each flushed piece as its own HTTP chunk.
        sink.writeUtf8("{\"model\":\"m\",\"str");
        sink.flush();
        sink.writeUtf8("eam\":   tr");
        sink.flush();
        sink.writeUtf8("ue}");
      }
    };
    try (Response response = client.newCall(post(chunked)).execute()) {
      assertThat(response.body().string()).endsWith("data: [DONE]\n\n");
    }
    // The connection is still in step: a plain call on it gets the plain answer.
    try (Response response = client.newCall(post(RequestBody.create(PLAIN_BODY, JSON))).execute()) {
      assertThat(response.body().bytes()).isEqualTo(StubUpstream.chatCompletionBody());
    }
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
  }

  @Test
  void answersPipelinedRequestsInOrderOnOneConnection() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stub.port())) {
      OutputStream out = socket.getOutputStream();
      String requests = rawPost(STREAM_BODY, "") + rawPost(PLAIN_BODY, "") + rawPost(PLAIN_BODY, "Connection: close\r\n");
      out.write(requests.getBytes(StandardCharsets.UTF_8));
      out.flush();
      String all = readAll(socket.getInputStream());
      int first = all.indexOf("HTTP/1.1 200 OK");
      int second = all.indexOf("HTTP/1.1 200 OK", first + 1);
      int third = all.indexOf("HTTP/1.1 200 OK", second + 1);
      assertThat(first).isZero();
      assertThat(all.substring(first, second)).contains("text/event-stream").endsWith("0\r\n\r\n");
      assertThat(all.substring(second, third)).contains("application/json");
      assertThat(all.substring(third)).contains("application/json")
          .endsWith(new String(StubUpstream.chatCompletionBody(), StandardCharsets.UTF_8));
    }
    assertThat(stub.requestCount()).isEqualTo(3);
  }

  @Test
  void countsRequestsAndConnectionsInStats() throws IOException {
    for (int i = 0; i < 3; i++) {
      try (Response response = client.newCall(post(RequestBody.create(PLAIN_BODY, JSON))).execute()) {
        response.body().bytes();
      }
    }
    try (Response response = client.newCall(new Request.Builder().url(url("/stats")).build()).execute()) {
      // The stats request itself is counted before it is answered; one keep-alive connection for all.
      assertThat(response.body().string()).isEqualTo("{\"requests\":4,\"connections\":1}\n");
    }
  }

  @Test
  void answersHealthAndNotFound() throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url("/health")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    try (Response response = client.newCall(new Request.Builder().url(url("/v1/embeddings"))
        .post(RequestBody.create(PLAIN_BODY, JSON)).build()).execute()) {
      assertThat(response.code()).isEqualTo(404);
      assertThat(response.body().string()).contains("unknown endpoint");
    }
  }

  @Test
  void streamFlagScannerIgnoresFalseAndLookalikeKeys() {
    assertThat(scan("{\"stream\":false}")).isFalse();
    assertThat(scan("{\"stream_options\":true}")).isFalse();
    assertThat(scan("{\"x\":\"stream\",\"y\":true}")).isFalse();
    assertThat(scan("{\"sstream\":true,\"stream\":\ttrue}")).isTrue();
    assertThat(scan("{\"\"stream\":true}")).isTrue();
  }

  private static boolean scan(String json) {
    StubUpstream.StreamFlagScanner scanner = new StubUpstream.StreamFlagScanner();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    scanner.scan(bytes, 0, bytes.length);
    return scanner.found();
  }

  private Request post(RequestBody body) {
    return new Request.Builder().url(url("/api/v1/chat/completions")).post(body).build();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + stub.port() + path;
  }

  private static String rawPost(String body, String extraHeaders) {
    return "POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    in.transferTo(result);
    return result.toString(StandardCharsets.UTF_8);
  }
}
