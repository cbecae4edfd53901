package dev.toolcalls.pipeline.export;

import java.util.Locale;

/** The dataset formats, each a folder under the export's output. */
public enum ExportFormat {
  UNIFIED("jsonl"),
  CHATML("txt"),
  AXOLOTL("jsonl"),
  OPENAI("jsonl");

  /** File extension of its part files. */
  public final String extension;
  /** Named once: the export labels every rendered record with it. */
  private final String folder;

  ExportFormat(String extension) {
    this.extension = extension;
    this.folder = name().toLowerCase(Locale.ROOT);
  }

  public String folder() {
    return folder;
  }

  /** ChatML conversations are separated by a blank line; the JSONL formats have one record per line. */
  public String recordSeparator() {
    return this == CHATML ? "\n" : "";
  }

  public static ExportFormat parse(String s) {
    for (ExportFormat f : values()) if (f.folder().equals(s.strip().toLowerCase(Locale.ROOT))) return f;
    throw new IllegalArgumentException("unknown format " + s + " (unified, chatml, axolotl, openai)");
  }
}
