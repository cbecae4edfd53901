package dev.toolcalls.pipeline.source.journal;

import java.util.Locale;

/** Which files under a journals folder are journals: every {@code *.md} except README and TEMPLATE files. */
public final class JournalFiles {
  private JournalFiles() {}

  public static boolean isJournal(String relativePath) {
    String name = relativePath.substring(relativePath.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.endsWith(".md") && !name.startsWith("readme") && !name.startsWith("template");
  }
}
