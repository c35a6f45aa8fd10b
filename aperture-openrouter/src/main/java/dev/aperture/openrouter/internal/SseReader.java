package dev.aperture.openrouter.internal;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code data} of server-sent events from a byte stream, as the SSE specification says:
 * lines end in LF, CRLF or a lone CR; lines starting with {@code :} are comments (OpenRouter's
 * {@code : OPENROUTER PROCESSING} keep-alives) and are skipped; several {@code data:} lines of one event
 * are joined with LF; a blank line ends the event; other fields ({@code event}, {@code id},
 * {@code retry}) are ignored. Works on bytes, so an event split anywhere across reads, even inside a
 * multi-byte UTF-8 character, reads the same. Blocks only for bytes it needs.
 */
public final class SseReader {
  private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
  private static final ByteString DATA = ByteString.encodeUtf8("data");

  private final BufferedSource source;
  /** The last line ended in CR: an LF that follows belongs to it. */
  private boolean skipLeadingLf;

  public SseReader(BufferedSource source) {
    this.source = source;
  }

  /**
   * The data of the next event that has any, or null at the end of the stream. An event still open when
   * the stream ends is dispatched if its lines were complete; a last line cut off mid-way is dropped.
   */
  public @Nullable Buffer nextEventData() throws IOException {
    Buffer data = null;
    while (true) {
      if (skipLeadingLf) {
        if (!source.request(1)) return data;
        if (source.getBuffer().getByte(0) == '\n') source.skip(1);
        skipLeadingLf = false;
      }
      long end = source.indexOfElement(LINE_ENDS);
      if (end == -1) {
        // End of stream. An unterminated last line may be a cut-off JSON text: drop it.
        source.skip(source.getBuffer().size());
        return data;
      }
      byte terminator = source.getBuffer().getByte(end);
      if (end == 0) { // Blank line: dispatch.
        consumeLineEnd(terminator);
        if (data != null) return data;
        continue;
      }
      if (isDataField(end)) {
        long valueStart = end == 4 ? 4 : 5;
        if (end > 5 && source.getBuffer().getByte(5) == ' ') valueStart = 6;
        if (data == null) {
          data = new Buffer();
        } else {
          data.writeByte('\n');
        }
        source.skip(valueStart);
        data.write(source.getBuffer(), end - valueStart);
      } else {
        source.skip(end); // A comment or a field we do not use.
      }
      consumeLineEnd(terminator);
    }
  }

  /** The line of {@code length} bytes at the buffer's start is {@code data} or {@code data:...}. */
  private boolean isDataField(long length) {
    if (length < 4 || !source.getBuffer().rangeEquals(0, DATA)) return false;
    return length == 4 || source.getBuffer().getByte(4) == ':';
  }

  private void consumeLineEnd(byte terminator) throws IOException {
    source.skip(1);
    if (terminator == '\r') skipLeadingLf = true;
  }
}
