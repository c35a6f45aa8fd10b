package dev.aperture.openrouter;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A chunked event-stream body that sends its events one by one, flushing each, and holds before event
 * {@code gate} until the test opens the gate (or 5 s pass). Records whether the last event was sent and
 * whether the client went away while the server was writing.
 */
final class GatedSseBody implements MockResponseBody {
  private final List<String> events;
  private final int gate;
  final CountDownLatch open = new CountDownLatch(1);
  final CountDownLatch clientGone = new CountDownLatch(1);
  volatile boolean lastSent;

  GatedSseBody(List<String> events, int gate) {
    this.events = events;
    this.gate = gate;
  }

  MockResponse response() {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "text/event-stream")
        .body(this)
        .removeHeader("Content-Length")
        .addHeader("Transfer-Encoding", "chunked")
        .build();
  }

  @Override
  public long getContentLength() {
    return -1;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    try {
      for (int i = 0; i < events.size(); i++) {
        if (i == gate) {
          try {
            open.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new InterruptedIOException();
          }
        }
        if (i == events.size() - 1) lastSent = true;
        writeChunk(sink, events.get(i));
      }
      // The terminating zero-length chunk.
      sink.writeUtf8("0\r\n\r\n").flush();
    } catch (IOException e) {
      clientGone.countDown();
      throw e;
    }
  }

  private static void writeChunk(BufferedSink sink, String text) throws IOException {
    Buffer data = new Buffer().writeUtf8(text);
    sink.writeUtf8(Long.toHexString(data.size())).writeUtf8("\r\n").writeAll(data);
    sink.writeUtf8("\r\n").flush();
  }
}
