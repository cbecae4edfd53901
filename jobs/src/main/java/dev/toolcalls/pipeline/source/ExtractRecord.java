package dev.toolcalls.pipeline.source;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One output of a source reader's pass over a file: an example row, a quarantine row, a line handed
 * to the cross-file pass, the file's report, or a line deferred to the next run. One stream carries them all so each file is read
 * once.
 */
public final class ExtractRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    EXAMPLE,
    QUARANTINE,
    HAND_OVER,
    REPORT,
    /** A line of a turn still open in a file being written: neither example nor quarantine yet. */
    DEFERRED,
    /** The file holds the request of a turn that goes on in a later file (cross-file pass). */
    JOINED_WITH_NEXT,
    /** The file holds lines of a turn whose request is in an earlier file (cross-file pass). */
    JOINED_WITH_PREVIOUS,
    /** Who is behind an example (a row of {@code IdentitiesSchema.SEEN}): only to the identities table. */
    IDENTITY,
    /** A number of examples of one file (row: source, source_file, count), folded by {@link SmallRecords}. */
    EXAMPLES_COUNTED,
    /** A person's examples in one file (a row of {@code IdentitiesSchema.TABLE}), folded by {@link SmallRecords}. */
    PEOPLE_SEEN
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

  public static ExtractRecord identity(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.IDENTITY, sourceFile, row, null);
  }

  public static ExtractRecord examplesCounted(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.EXAMPLES_COUNTED, sourceFile, row, null);
  }

  public static ExtractRecord peopleSeen(String sourceFile, InternalRow row) {
    return new ExtractRecord(Kind.PEOPLE_SEEN, sourceFile, row, null);
  }

  public static ExtractRecord deferred(String sourceFile) {
    return new ExtractRecord(Kind.DEFERRED, sourceFile, null, null);
  }

  /** A marker: the file takes part in a turn assembled across files (see the two kinds). */
  public static ExtractRecord joined(String sourceFile, Kind direction) {
    if (direction != Kind.JOINED_WITH_NEXT && direction != Kind.JOINED_WITH_PREVIOUS) throw new IllegalArgumentException(direction.name());
    return new ExtractRecord(direction, sourceFile, null, null);
  }

  public static ExtractRecord report(FileReport report) {
    return new ExtractRecord(Kind.REPORT, report.file.relativePath, null, report);
  }
}
