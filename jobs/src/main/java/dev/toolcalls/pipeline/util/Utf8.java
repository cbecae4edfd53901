package dev.toolcalls.pipeline.util;

/** Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {
  private Utf8() {}

  public static boolean isValid(byte[] b, int off, int len) {
    int i = off;
    final int end = off + len;
    while (i < end) {
      int c = b[i];
      if (c >= 0) { // ASCII fast path
        i++;
        continue;
      }
      c &= 0xFF;
      if (c >= 0xC2 && c <= 0xDF) {
        if (i + 1 >= end || !cont(b[i + 1])) return false;
        i += 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        if (i + 2 >= end) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xE0 && c1 < 0xA0) return false; // overlong
        if (c == 0xED && c1 > 0x9F) return false; // surrogates
        if (!cont(b[i + 1]) || !cont(b[i + 2])) return false;
        i += 3;
      } else if (c >= 0xF0 && c <= 0xF4) {
        if (i + 3 >= end) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xF0 && c1 < 0x90) return false; // overlong
        if (c == 0xF4 && c1 > 0x8F) return false; // above U+10FFFF
        if (!cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) return false;
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
