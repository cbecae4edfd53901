package dev.toolcalls.pipeline.source.journal;

import dev.toolcalls.pipeline.source.ExampleDraft;
import dev.toolcalls.pipeline.source.ContentHash;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.SourceRows;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.pipeline.util.Utf8;
import dev.toolcalls.schemas.QuarantineReasons;
import dev.toolcalls.schemas.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The journal reader, one task per file: a journal is a page of notes, read whole (up to a limit),
 * checked as UTF-8 and parsed. A file that is not UTF-8 is quarantined with the line of its first
 * bad byte; one over the limit is reported as failed.
 */
public final class JournalReadFunction implements FlatMapFunction<InputFile, ExtractRecord> {
  private static final long serialVersionUID = 1L;
  /** Journals are hand-written notes; anything larger is not one. */
  static final long MAX_BYTES = 16L << 20;
  private final JournalParser.Settings settings;
  private final HadoopConf hadoopConf;

  public JournalReadFunction(JournalParser.Settings settings, HadoopConf hadoopConf) {
    this.settings = settings;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<ExtractRecord> call(InputFile file) {
    FileReport report = new FileReport(Sources.JOURNAL, file);
    List<ExtractRecord> out = new ArrayList<>();
    if (file.sizeBytes > MAX_BYTES) {
      report.error = "larger than " + (MAX_BYTES >> 20) + " MB: not a journal";
      out.add(ExtractRecord.report(report));
      return out.iterator();
    }
    byte[] bytes;
    try {
      Path path = new Path(file.uri);
      FileSystem fs = path.getFileSystem(hadoopConf.get());
      try (InputStream in = fs.open(path)) {
        bytes = in.readAllBytes();
      }
      report.contentHash = ContentHash.of(bytes);
    } catch (IOException e) {
      report.error = e.getClass().getSimpleName() + ": " + e.getMessage();
      out.add(ExtractRecord.report(report));
      return out.iterator();
    }
    return read(file, bytes, settings, report).iterator();
  }

  /** Everything one journal gives: its examples, or a quarantine row; then its report. */
  static List<ExtractRecord> read(InputFile file, byte[] bytes, JournalParser.Settings settings, FileReport report) {
    List<ExtractRecord> out = new ArrayList<>();
    SourceRows rows = new SourceRows();
    report.bytesRead = bytes.length;
    report.lines = countLines(bytes);
    int bad = firstInvalidLine(bytes);
    if (bad > 0) {
      report.quarantined(QuarantineReasons.INVALID_UTF8);
      out.add(ExtractRecord.quarantine(file.relativePath, rows.quarantine(Sources.JOURNAL, file.relativePath, bad, QuarantineReasons.INVALID_UTF8,
          "line " + bad + " has bytes that are not valid UTF-8; the journal is not read", bytes)));
    } else {
      int fallbackDate = (int) Math.floorDiv(file.modifiedMillis, 86_400_000L);
      for (ExampleDraft d : JournalParser.parse(new String(bytes, StandardCharsets.UTF_8), file.relativePath, settings, fallbackDate)) {
        report.examples++;
        out.add(ExtractRecord.example(file.relativePath, rows.example(d)));
      }
    }
    out.add(ExtractRecord.report(report));
    return out;
  }

  private static long countLines(byte[] b) {
    long n = 0;
    for (byte x : b) if (x == '\n') n++;
    return b.length > 0 && b[b.length - 1] != '\n' ? n + 1 : n;
  }

  /** 1-based line of the first invalid UTF-8 sequence, or 0 when the whole file is valid. */
  static int firstInvalidLine(byte[] b) {
    if (Utf8.isValid(b, 0, b.length)) return 0;
    int line = 1, start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n') {
        if (!Utf8.isValid(b, start, i - start)) return line;
        line++;
        start = i + 1;
      }
    }
    return line;
  }

}
