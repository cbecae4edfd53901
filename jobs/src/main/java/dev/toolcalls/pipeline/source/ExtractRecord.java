package dev.toolcalls.pipeline.source;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One output of a source reader's pass over a file: an example row, a quarantine row, a line handed
 * to the cross-file pass, or the file's report. One stream carries all four so each file is read
 * once.
 */
public final class ExtractRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    EXAMPLE,
    QUARANTINE,
    HAND_OVER,
    REPORT
  }

  public final Kind kind;
  /** The file this came from (relative path), to drop everything of a file that failed. */
  public final String sourceFile;
  /** Spark's internal row form (see DiscordRows for why). */
  public final InternalRow row;
  public final FileReport report;

  private ExtractRecord(Kind kind, String sourceFile, InternalRow row, FileReport report) {
    this.kind = kind;
    this.sourceFile = sourceFile;
    this.row = row;
    this.report = report;
  }

  public static ExtractRecord example(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.EXAMPLE, sourceFile, row, null);
  }

  public static ExtractRecord quarantine(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.QUARANTINE, sourceFile, row, null);
  }

  public static ExtractRecord handOver(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.HAND_OVER, sourceFile, row, null);
  }

  public static ExtractRecord report(FileReport report) {
    return new ExtractRecord(Kind.REPORT, report.file.relativePath, null, report);
  }
}
