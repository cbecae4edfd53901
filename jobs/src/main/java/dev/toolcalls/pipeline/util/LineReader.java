package dev.toolcalls.pipeline.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without decoding it, so that invalid UTF-8 can be detected and
 * kept as written. A line is handed out as a window into an internal buffer ({@link #buffer()},
 * {@link #start()}, {@link #length()}) that is valid until the next call of {@link #next()}. The
 * '\n' is never part of a line and a '\r' before it is dropped (CRLF files read as normal lines).
 */
public final class LineReader {
  private final InputStream in;
  private byte[] buf;
  private int pos; // next unread byte
  private int limit; // end of valid data
  private boolean eof;
  private int lineStart;
  private int lineLength;
  private boolean terminated;
  private long lineNumber;
  private long bytesRead;

  public LineReader(InputStream in) {
    this(in, 1 << 20);
  }

  public LineReader(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /** Advances to the next line; false at the end of the stream. */
  public boolean next() throws IOException {
    int scan = pos;
    while (true) {
      for (int i = scan; i < limit; i++) {
        if (buf[i] == '\n') {
          setLine(pos, i, true);
          pos = i + 1;
          return true;
        }
      }
      scan = limit;
      if (eof) {
        if (pos < limit) {
          setLine(pos, limit, false);
          pos = limit;
          return true;
        }
        return false;
      }
      scan -= fill();
    }
  }

  private void setLine(int from, int to, boolean withNewline) {
    int end = to;
    if (end > from && buf[end - 1] == '\r') end--;
    lineStart = from;
    lineLength = end - from;
    terminated = withNewline;
    lineNumber++;
  }

  /** Moves unread bytes to the front (growing the buffer for long lines) and reads more; returns the shift. */
  private int fill() throws IOException {
    int shift = pos;
    int unread = limit - pos;
    if (shift > 0) {
      System.arraycopy(buf, pos, buf, 0, unread);
      pos = 0;
      limit = unread;
    }
    if (limit == buf.length) {
      byte[] bigger = new byte[buf.length * 2];
      System.arraycopy(buf, 0, bigger, 0, limit);
      buf = bigger;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
      bytesRead += n;
    }
    return shift;
  }

  public byte[] buffer() {
    return buf;
  }

  public int start() {
    return lineStart;
  }

  public int length() {
    return lineLength;
  }

  /** False for a last line that ends without '\n' (what a crash mid-write leaves). */
  public boolean terminated() {
    return terminated;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  public long bytesRead() {
    return bytesRead;
  }

  /** True when the current line holds only blanks. */
  public boolean isBlank() {
    for (int i = lineStart, e = lineStart + lineLength; i < e; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') return false;
    }
    return true;
  }
}
