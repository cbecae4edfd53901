package dev.toolcalls.pipeline.util;

import java.io.Closeable;
import java.io.IOException;

/** Closing input streams once everything they gave has been used. */
public final class Closeables {
  private Closeables() {}

  /** Closes after a read: a failing close changes nothing the read produced, so it is not an error. */
  public static void closeQuietly(Closeable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // see above
    }
  }
}
