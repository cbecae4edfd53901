package dev.toolcalls.pipeline.source.discord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A copy of one input line and where it came from. */
final class RawLine {
  final String sourceFile;
  final long lineNumber;
  final byte[] bytes;
  /** The event's time, or the last time seen before it in its file when it has none. */
  final long sortMicros;

  RawLine(String sourceFile, long lineNumber, byte[] bytes, long sortMicros) {
    this.sourceFile = sourceFile;
    this.lineNumber = lineNumber;
    this.bytes = bytes;
    this.sortMicros = sortMicros;
  }

  boolean sameBytes(RawLine other) {
    return other != null && Arrays.equals(bytes, other.bytes);
  }

  String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
