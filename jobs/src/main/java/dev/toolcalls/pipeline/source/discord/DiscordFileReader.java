package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.util.LineReader;
import dev.toolcalls.pipeline.util.Timestamps;
import dev.toolcalls.pipeline.util.Utf8;
import dev.toolcalls.schemas.QuarantineReasons;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams one daily log file once, line by line, and yields its examples, quarantined lines, the
 * lines left open at its end (for the cross-file pass), and finally its {@link FileReport}. Memory
 * holds only the turns of the last few minutes of log time, whatever the file's size.
 */
public final class DiscordFileReader implements Iterator<ExtractRecord>, TurnAssembler.Sink {
  private final InputStream in;
  private final LineReader lines;
  private final FileReport report;
  private final DiscordSettings settings;
  private final String sourceFile;
  private final DiscordEventParser parser = new DiscordEventParser();
  private final TurnAssembler assembler;
  private final DiscordRows rows;
  private final ArrayDeque<ExtractRecord> ready = new ArrayDeque<>();
  private long lastMicros = Timestamps.MISSING;
  private boolean done;

  public DiscordFileReader(InputStream in, FileReport report, DiscordSettings settings) {
    this.in = in;
    this.lines = new LineReader(in);
    this.report = report;
    this.settings = settings;
    this.sourceFile = report.file.relativePath;
    this.rows = new DiscordRows(settings);
    this.assembler = new TurnAssembler(this, settings.answeredGraceMicros, settings.maxTurnMicros, false);
    // Modified within the settle time: whatever this run leaves open is read again by the next one.
    report.settling = settings.isSettling(report.file.modifiedMillis);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !done) step();
    return !ready.isEmpty();
  }

  @Override
  public ExtractRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    return ready.pollFirst();
  }

  private void step() {
    try {
      if (lines.next()) {
        readLine();
        return;
      }
      assembler.finish();
    } catch (IOException e) {
      // The file is reported and everything it gave is dropped by the job; other files go on.
      report.error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    done = true;
    report.bytesRead = lines.bytesRead();
    ready.addLast(ExtractRecord.report(report));
    try {
      in.close();
    } catch (IOException ignored) {
      // Everything has been read; a failing close changes nothing that was produced.
    }
  }

  private void readLine() {
    report.lines = lines.lineNumber();
    if (lines.isBlank()) {
      report.blankLines++;
      return;
    }
    byte[] buf = lines.buffer();
    int off = lines.start();
    int len = lines.length();
    long lineNumber = lines.lineNumber();
    if (!lines.terminated() && settings.isSettling(report.file.modifiedMillis) && !completeJson(buf, off, len)) {
      // The bot is still writing this line: leave it for the next run, which reads the file whole.
      report.details.merge("unfinished_last_line_left_for_next_run", 1L, Long::sum);
      return;
    }
    if (!Utf8.isValid(buf, off, len)) {
      // A crash mid-write can cut a multi-byte character: an unterminated last line is truncated.
      if (lines.terminated()) reject(lineNumber, buf, off, len, QuarantineReasons.INVALID_UTF8, "bytes that are not valid UTF-8", null);
      else reject(lineNumber, buf, off, len, QuarantineReasons.TRUNCATED_LINE, "the last line ends without a newline, cut inside a character", null);
      return;
    }
    // The line's own copy is what the event's JSON slices point into (no second copy per slice)
    // and what a quarantine, hand-over or duplicate check keeps.
    byte[] line = Arrays.copyOfRange(buf, off, off + len);
    DiscordEvent e;
    try {
      e = parser.parse(line, 0, len);
    } catch (DiscordEventParser.MalformedLineException ex) {
      String reason = lines.terminated() ? QuarantineReasons.INVALID_JSON : QuarantineReasons.TRUNCATED_LINE;
      reject(lineNumber, line, 0, len, reason, ex.getMessage(), null);
      return;
    }
    report.unknownFields += e.unknownFields;
    String problem = problemOf(e);
    if (problem != null) {
      reject(lineNumber, line, 0, len, problem, null, e.requestId);
      return;
    }
    if (e.timeMicros != Timestamps.MISSING) lastMicros = e.timeMicros;
    RawLine raw = new RawLine(sourceFile, lineNumber, line, e.timeMicros != Timestamps.MISSING ? e.timeMicros : lastMicros);
    assembler.accept(e, raw);
  }

  /** Whether an unterminated last line is nonetheless a whole event (the newline just not written yet). */
  private boolean completeJson(byte[] buf, int off, int len) {
    if (!Utf8.isValid(buf, off, len)) return false;
    try {
      parser.parse(Arrays.copyOfRange(buf, off, off + len), 0, len);
      return true;
    } catch (DiscordEventParser.MalformedLineException e) {
      return false;
    }
  }

  /** Why a parsed event cannot join a turn, or null. Shared with the cross-file pass. */
  static String problemOf(DiscordEvent e) {
    if (e.type == null) return QuarantineReasons.MISSING_TYPE;
    if (!DiscordEvent.isKnownType(e.type)) return QuarantineReasons.UNKNOWN_TYPE;
    if (e.requestId == null || e.requestId.isEmpty()) return QuarantineReasons.MISSING_REQUEST_ID;
    if (DiscordEvent.TOOL_CALL.equals(e.type) && (e.tool == null || e.tool.isEmpty())) return QuarantineReasons.MISSING_TOOL;
    return null;
  }

  private void reject(long lineNumber, byte[] buf, int off, int len, String reason, String detail, String requestId) {
    byte[] bytes = off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
    report.quarantined(reason);
    ready.addLast(ExtractRecord.quarantine(sourceFile, rows.quarantine(sourceFile, lineNumber, reason, detail, requestId, bytes)));
  }

  // ---- TurnAssembler.Sink ----------------------------------------------------------------------

  @Override
  public void turn(Turn turn) {
    report.examples++;
    rows.records(turn, ready::addLast);
  }

  @Override
  public void handOver(List<RawLine> handed, String requestId, boolean orphan) {
    if (orphan) report.orphansHandedOver += handed.size();
    for (RawLine l : handed) {
      report.handedOver++;
      ready.addLast(ExtractRecord.handOver(sourceFile, rows.handOver(l, requestId)));
    }
  }

  @Override
  public void quarantine(RawLine line, String reason, String detail, String requestId) {
    report.quarantined(reason);
    ready.addLast(ExtractRecord.quarantine(sourceFile, rows.quarantine(line.sourceFile, line.lineNumber, reason, detail, requestId, line.bytes)));
  }

  @Override
  public void duplicate(RawLine line) {
    report.duplicateLines++;
  }
}
