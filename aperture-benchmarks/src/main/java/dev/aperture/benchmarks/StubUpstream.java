package dev.aperture.benchmarks;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback OpenRouter stand-in that costs as little as possible, so that what a benchmark measures is
 * the client, not the server: HTTP/1.1 keep-alive on 127.0.0.1, one thread per connection, responses
 * prebuilt as bytes, and no allocation per request once a connection is warm.
 *
 * <p>{@code POST /v1/chat/completions} (under any prefix, such as {@code /api/v1/...}) answers the
 * OpenRouter-shaped {@code chat-completion.json}; when the request body has {@code "stream": true} it
 * answers an SSE stream of {@link #STREAM_CONTENT_CHUNKS} content chunks, a finish chunk, a usage-only
 * chunk and {@code data: [DONE]}. The first event is flushed on its own so that time-to-first-chunk is
 * observable. Request bodies are read by {@code Content-Length} or {@code chunked} encoding; pipelined
 * requests are answered in order. {@code GET /health} answers 200 for readiness checks, and
 * {@code GET /stats} the counts of requests and of connections accepted so far.
 *
 * <p>Run standalone for the gateway load test: {@code java -cp benchmarks.jar
 * dev.aperture.benchmarks.StubUpstream 18080}; it prints {@code listening on 127.0.0.1:PORT} once ready.
 */
public final class StubUpstream implements Closeable {
  /** How many content chunks a streamed answer has, before its finish and usage chunks. */
  public static final int STREAM_CONTENT_CHUNKS = 48;
  public static final String MODEL = "qwen/qwen3-235b-a22b-2507";
  public static final String GENERATION_ID = "gen-1764000000-Ab12Cd34Ef56Gh78";

  private static final int MAX_HEADER_LINE = 8192;

  private final ServerSocket serverSocket;
  private final Thread acceptThread;
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong requestCount = new AtomicLong();
  private final AtomicLong connectionCount = new AtomicLong();
  private final byte[] chatResponse;
  private final byte[] streamHead;
  private final byte[] streamTail;
  private volatile boolean closed;

  private StubUpstream(ServerSocket serverSocket) {
    this.serverSocket = serverSocket;
    byte[] body = chatCompletionBody();
    this.chatResponse = concat(ascii("HTTP/1.1 200 OK\r\n"
        + "Content-Type: application/json\r\n"
        + "X-Generation-Id: " + GENERATION_ID + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "\r\n"), body);
    String[] events = streamEvents();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    writeAscii(head, "HTTP/1.1 200 OK\r\n"
        + "Content-Type: text/event-stream\r\n"
        + "Cache-Control: no-cache\r\n"
        + "X-Generation-Id: " + GENERATION_ID + "\r\n"
        + "Transfer-Encoding: chunked\r\n"
        + "\r\n");
    writeHttpChunk(head, events[0]);
    this.streamHead = head.toByteArray();
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    for (int i = 1; i < events.length; i++) writeHttpChunk(tail, events[i]);
    writeAscii(tail, "0\r\n\r\n");
    this.streamTail = tail.toByteArray();
    this.acceptThread = new Thread(this::acceptLoop, "stub-upstream-accept");
    acceptThread.setDaemon(true);
  }

  /** Starts a stub on 127.0.0.1 at {@code port}, or an ephemeral port when it is 0. */
  public static StubUpstream start(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
      StubUpstream stub = new StubUpstream(socket);
      stub.acceptThread.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    StubUpstream stub = start(port);
    System.out.println("listening on 127.0.0.1:" + stub.port());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
    Thread.currentThread().join();
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT/api/}: OpenRouter's base URL shape, for an Aperture configuration. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/api/";
  }

  /** How many requests were answered (any path), for checks that traffic really reached the stub. */
  public long requestCount() {
    return requestCount.get();
  }

  /** How many connections were accepted: a client that does not reuse connections shows here. */
  public long connectionCount() {
    return connectionCount.get();
  }

  /** The non-streamed response body, as served. */
  public static byte[] chatCompletionBody() {
    try (InputStream in = StubUpstream.class.getResourceAsStream("chat-completion.json")) {
      if (in == null) throw new IllegalStateException("chat-completion.json missing from the class path");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SSE events of a streamed answer, each with its terminating blank line. */
  static String[] streamEvents() {
    String prefix = "{\"id\":\"" + GENERATION_ID + "\",\"provider\":\"Alibaba\",\"model\":\"" + MODEL
        + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"choices\":";
    String[] events = new String[STREAM_CONTENT_CHUNKS + 4];
    int n = 0;
    events[n++] = ": OPENROUTER PROCESSING\n\n"
        + "data: " + prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n";
    for (int i = 0; i < STREAM_CONTENT_CHUNKS; i++) {
      events[n++] = "data: " + prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\""
          + WORDS[i % WORDS.length] + " \"},\"finish_reason\":null,\"native_finish_reason\":null,"
          + "\"logprobs\":null}]}\n\n";
    }
    events[n++] = "data: " + prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"logprobs\":null}]}\n\n";
    events[n++] = "data: " + prefix + "[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":"
        + STREAM_CONTENT_CHUNKS + ",\"total_tokens\":" + (9 + STREAM_CONTENT_CHUNKS) + ",\"cost\":0.0000241,"
        + "\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";
    events[n++] = "data: [DONE]\n\n";
    return events;
  }

  private static final String[] WORDS = {
      "Routing", "is", "the", "cheap", "part:", "a", "map", "lookup", "and", "a", "glob", "match,",
      "while", "the", "network", "call", "costs", "a", "thousand", "times", "more.", "Über", "café", "👋"};

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (closed) return;
        continue;
      }
      openSockets.add(socket);
      connectionCount.incrementAndGet();
      Thread thread = new Thread(() -> serve(socket), "stub-upstream-" + socket.getPort());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      new Connection(socket.getInputStream(), new BufferedOutputStream(socket.getOutputStream(), 64 * 1024))
          .serve();
    } catch (IOException ignored) {
      // The client went away: normal at the end of a keep-alive connection.
    } finally {
      openSockets.remove(socket);
    }
  }

  /** One keep-alive connection: a reusable read buffer and the request loop. No allocation per request. */
  private final class Connection {
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos;
    private int limit;
    /** The current header line, bytes [lineStart, lineEnd) of {@link #buffer}; moved to the front when needed. */
    private int lineStart;
    private int lineEnd;
    private final StreamFlagScanner streamFlag = new StreamFlagScanner();

    Connection(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    void serve() throws IOException {
      while (true) {
        if (!readLine()) return; // Clean end of the connection between requests.
        if (lineEnd == lineStart) continue; // Tolerate a stray CRLF between requests (RFC 9112 §2.2).
        boolean post = startsWith("POST ");
        boolean chat = contains("/v1/chat/completions");
        boolean health = startsWith("GET /health");
        boolean stats = startsWith("GET /stats");
        boolean http10 = endsWith("HTTP/1.0");
        long contentLength = 0;
        boolean chunked = false;
        boolean close = http10;
        boolean expectContinue = false;
        while (true) {
          if (!readLine()) throw new EOFException("connection ended inside the headers");
          if (lineEnd == lineStart) break;
          if (headerIs("content-length")) {
            contentLength = parseLong(headerValueStart());
          } else if (headerIs("transfer-encoding")) {
            chunked = valueContains("chunked");
          } else if (headerIs("connection")) {
            if (valueContains("close")) close = true;
            if (valueContains("keep-alive")) close = false;
          } else if (headerIs("expect")) {
            expectContinue = valueContains("100-continue");
          }
        }
        if (expectContinue) {
          out.write(CONTINUE);
          out.flush();
        }
        streamFlag.reset();
        if (chunked) {
          readChunkedBody();
        } else {
          readBody(contentLength);
        }
        requestCount.incrementAndGet();
        if (post && chat) {
          if (streamFlag.found()) {
            out.write(streamHead);
            out.flush();
            out.write(streamTail);
          } else {
            out.write(chatResponse);
          }
        } else if (health) {
          out.write(HEALTH);
        } else if (stats) {
          // Allocates, unlike the chat path; only the load scripts ask, between loads.
          out.write(response("200 OK", "application/json", "{\"requests\":" + requestCount.get()
              + ",\"connections\":" + connectionCount.get() + "}\n"));
        } else {
          out.write(NOT_FOUND);
        }
        // Pipelined requests already buffered are answered before one flush; otherwise flush now.
        if (pos == limit || close) out.flush();
        if (close) return;
      }
    }

    private void readBody(long length) throws IOException {
      while (length > 0) {
        if (pos == limit && !fill()) throw new EOFException("connection ended inside the body");
        int n = (int) Math.min(length, limit - pos);
        streamFlag.scan(buffer, pos, pos + n);
        pos += n;
        length -= n;
      }
    }

    private void readChunkedBody() throws IOException {
      while (true) {
        if (!readLine()) throw new EOFException("connection ended inside a chunked body");
        long size = parseHex();
        if (size == 0) {
          // Trailers, up to the blank line.
          do {
            if (!readLine()) throw new EOFException("connection ended inside chunked trailers");
          } while (lineEnd != lineStart);
          return;
        }
        readBody(size);
        if (!readLine() || lineEnd != lineStart) throw new IOException("malformed chunked body");
      }
    }

    /** Reads one CRLF- or LF-terminated line into [lineStart, lineEnd). False at a clean end of input. */
    private boolean readLine() throws IOException {
      int scanFrom = pos;
      while (true) {
        for (int i = scanFrom; i < limit; i++) {
          if (buffer[i] == '\n') {
            lineStart = pos;
            lineEnd = i > pos && buffer[i - 1] == '\r' ? i - 1 : i;
            pos = i + 1;
            return true;
          }
        }
        if (limit - pos >= MAX_HEADER_LINE) throw new IOException("header line too long");
        scanFrom = limit - pos; // Offsets after compaction.
        if (pos > 0) {
          System.arraycopy(buffer, pos, buffer, 0, limit - pos);
          limit -= pos;
          pos = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n == -1) {
          if (limit == pos) return false;
          throw new EOFException("connection ended inside a line");
        }
        limit += n;
      }
    }

    private boolean fill() throws IOException {
      pos = 0;
      limit = 0;
      int n = in.read(buffer, 0, buffer.length);
      if (n == -1) return false;
      limit = n;
      return true;
    }

    private boolean startsWith(String prefix) {
      if (lineEnd - lineStart < prefix.length()) return false;
      for (int i = 0; i < prefix.length(); i++) {
        if (buffer[lineStart + i] != prefix.charAt(i)) return false;
      }
      return true;
    }

    private boolean endsWith(String suffix) {
      int start = lineEnd - suffix.length();
      if (start < lineStart) return false;
      for (int i = 0; i < suffix.length(); i++) {
        if (buffer[start + i] != suffix.charAt(i)) return false;
      }
      return true;
    }

    private boolean contains(String needle) {
      return indexOf(lineStart, needle) >= 0;
    }

    private int indexOf(int from, String needle) {
      outer:
      for (int i = from; i <= lineEnd - needle.length(); i++) {
        for (int j = 0; j < needle.length(); j++) {
          if (toLower(buffer[i + j]) != needle.charAt(j)) continue outer;
        }
        return i;
      }
      return -1;
    }

    /** Whether the current header line's name is {@code lowerName}, ignoring case. */
    private boolean headerIs(String lowerName) {
      int colon = lineStart + lowerName.length();
      if (colon >= lineEnd || buffer[colon] != ':') return false;
      for (int i = 0; i < lowerName.length(); i++) {
        if (toLower(buffer[lineStart + i]) != lowerName.charAt(i)) return false;
      }
      return true;
    }

    private int headerValueStart() {
      int i = lineStart;
      while (buffer[i] != ':') i++;
      i++;
      while (i < lineEnd && (buffer[i] == ' ' || buffer[i] == '\t')) i++;
      return i;
    }

    private boolean valueContains(String lowerNeedle) {
      return indexOf(headerValueStart(), lowerNeedle) >= 0;
    }

    private long parseLong(int from) throws IOException {
      long value = 0;
      int i = from;
      for (; i < lineEnd && buffer[i] >= '0' && buffer[i] <= '9'; i++) value = value * 10 + (buffer[i] - '0');
      if (i == from) throw new IOException("malformed Content-Length");
      return value;
    }

    private long parseHex() throws IOException {
      long value = 0;
      int i = lineStart;
      for (; i < lineEnd; i++) {
        int digit = Character.digit(buffer[i], 16);
        if (digit < 0) break; // Chunk extensions (";name=value") follow.
        value = value * 16 + digit;
      }
      if (i == lineStart) throw new IOException("malformed chunk size");
      return value;
    }
  }

  private static int toLower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }

  /**
   * Finds {@code "stream"} followed by optional whitespace, {@code :}, optional whitespace and
   * {@code true}, across buffer boundaries. A key named stream nested in another object would also match;
   * no benchmark request has one.
   */
  static final class StreamFlagScanner {
    private static final byte[] KEY = ascii("\"stream\"");
    private static final byte[] TRUE = ascii("true");
    private int keyMatched;
    private boolean afterKey;
    private boolean afterColon;
    private int trueMatched;
    private boolean found;

    void reset() {
      keyMatched = 0;
      afterKey = false;
      afterColon = false;
      trueMatched = 0;
      found = false;
    }

    boolean found() {
      return found;
    }

    void scan(byte[] bytes, int from, int to) {
      for (int i = from; i < to && !found; i++) {
        byte b = bytes[i];
        if (afterColon) {
          if (trueMatched == 0 && isSpace(b)) continue;
          if (b == TRUE[trueMatched]) {
            if (++trueMatched == TRUE.length) found = true;
            continue;
          }
          afterKey = afterColon = false;
          trueMatched = 0;
        } else if (afterKey) {
          if (isSpace(b)) continue;
          if (b == ':') {
            afterColon = true;
            continue;
          }
          afterKey = false;
        }
        if (b == KEY[keyMatched]) {
          if (++keyMatched == KEY.length) {
            afterKey = true;
            keyMatched = 0;
          }
        } else {
          keyMatched = b == KEY[0] ? 1 : 0;
        }
      }
    }

    private static boolean isSpace(byte b) {
      return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    for (Socket socket : openSockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
  private static final byte[] HEALTH = response("200 OK", "text/plain", "ok\n");
  private static final byte[] NOT_FOUND = response("404 Not Found", "application/json",
      "{\"error\":{\"code\":404,\"message\":\"stub: unknown endpoint\"}}\n");

  private static byte[] response(String status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return concat(ascii("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
        + bytes.length + "\r\n\r\n"), bytes);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeHttpChunk(ByteArrayOutputStream out, String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    writeAscii(out, Integer.toHexString(bytes.length) + "\r\n");
    out.writeBytes(bytes);
    writeAscii(out, "\r\n");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = new byte[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
