package dev.aperture.openrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

final class SseReaderTest {

  @Test
  void skipsCommentsAndJoinsDataLinesOfOneEvent() throws IOException {
    assertThat(events(": OPENROUTER PROCESSING\n\ndata: {\"a\":\ndata: 1}\n\n: ping\ndata: [DONE]\n\n"))
        .containsExactly("{\"a\":\n1}", "[DONE]");
  }

  @Test
  void acceptsLfCrlfAndLoneCrLineEnds() throws IOException {
    List<String> expected = List.of("one", "two", "three");
    assertThat(events("data: one\n\ndata: two\n\ndata: three\n\n")).isEqualTo(expected);
    assertThat(events("data: one\r\n\r\ndata: two\r\n\r\ndata: three\r\n\r\n")).isEqualTo(expected);
    assertThat(events("data: one\r\rdata: two\r\rdata: three\r\r")).isEqualTo(expected);
    assertThat(events("data: one\r\n\ndata: two\r\rdata: three\n\r\n")).isEqualTo(expected);
  }

  @Test
  void ignoresOtherFieldsAndHandlesDataWithoutSpaceOrColon() throws IOException {
    assertThat(events("event: message\nid: 7\nretry: 100\ndata:x\n\ndata\ndata:  y\n\ndatum: z\n\n"))
        .containsExactly("x", "\n y");
  }

  @Test
  void dropsAnUnterminatedLastLineButKeepsCompleteLines() throws IOException {
    assertThat(events("data: kept\n\ndata: {\"cut")).containsExactly("kept");
    assertThat(events("data: [DONE]\n")).containsExactly("[DONE]");
  }

  @Test
  void readsTheSameWhenEveryByteArrivesAlone() throws IOException {
    String stream = ": OPENROUTER PROCESSING\r\n\r\ndata: {\"content\":\"Grüß Gott 👋\"}\r\n\r\n"
        + "data: a\rdata: b\r\rdata: [DONE]\n\n";
    List<String> expected = List.of("{\"content\":\"Grüß Gott 👋\"}", "a\nb", "[DONE]");

    assertThat(events(Okio.buffer(new OneByteAtATime(stream)))).isEqualTo(expected);
  }

  @Test
  void readsTheSameWhateverByteTheStreamIsSplitAt() throws IOException {
    byte[] bytes = "data: {\"x\":\"€🎉\"}\r\n\r\n: keep-alive\r\ndata: 2\n\n".getBytes(StandardCharsets.UTF_8);
    for (int split = 0; split <= bytes.length; split++) {
      BufferedSource source = Okio.buffer(new TwoReads(bytes, split));
      assertThat(events(source)).as("split at %s", split).containsExactly("{\"x\":\"€🎉\"}", "2");
    }
  }

  private static List<String> events(String stream) throws IOException {
    return events(new Buffer().writeUtf8(stream));
  }

  private static List<String> events(BufferedSource source) throws IOException {
    SseReader reader = new SseReader(source);
    List<String> result = new ArrayList<>();
    for (Buffer data; (data = reader.nextEventData()) != null; ) result.add(data.readUtf8());
    return result;
  }

  /** A source that gives one byte per read, as the slowest network would. */
  static final class OneByteAtATime implements Source {
    private final Buffer data;

    OneByteAtATime(String text) {
      this.data = new Buffer().writeUtf8(text);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (data.size() == 0) return -1;
      sink.writeByte(data.readByte());
      return 1;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
    }
  }

  /** A source that delivers its bytes in two reads, split at a given offset. */
  static final class TwoReads implements Source {
    private final Buffer first;
    private final Buffer second;

    TwoReads(byte[] bytes, int split) {
      this.first = new Buffer().write(bytes, 0, split);
      this.second = new Buffer().write(bytes, split, bytes.length - split);
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      Buffer next = first.size() > 0 ? first : second;
      if (next.size() == 0) return -1;
      long size = next.size();
      sink.write(next, size);
      return size;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
    }
  }
}
