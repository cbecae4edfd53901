package dev.toolcalls.pipeline.source.session;

import dev.toolcalls.pipeline.source.ExampleDraft;
import dev.toolcalls.pipeline.privacy.Pseudonyms;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.SourceRows;
import dev.toolcalls.pipeline.util.LineReader;
import dev.toolcalls.pipeline.util.Utf8;
import dev.toolcalls.schemas.QuarantineReasons;
import dev.toolcalls.schemas.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams one Claude Code transcript once, line by line, and yields its examples, its quarantined
 * lines and finally its {@link FileReport}. Memory holds the longest line and the open turn,
 * whatever the file's size.
 *
 * <p>Report fields: {@code lines}, {@code blankLines}, {@code bytesRead}, {@code examples} and
 * {@code quarantined} as for every source; {@code duplicateLines} counts lines skipped as written
 * twice; {@code unknownFields} counts lines of a type this version does not know (the session
 * format's unknowns are whole line types). The finer counts are in {@link #counts()}.
 */
public final class SessionFileReader implements Iterator<ExtractRecord>, SessionTurnAssembler.Sink {
  private final InputStream in;
  private final LineReader lines;
  private final FileReport report;
  private final String sourceFile;
  private final SessionLineParser parser = new SessionLineParser();
  private final SessionCounts counts = new SessionCounts();
  private final SessionTurnAssembler assembler;
  private final SourceRows rows = new SourceRows();
  private final ArrayDeque<ExtractRecord> ready = new ArrayDeque<>();
  private boolean done;
  /**
   * The home folder's user name in the transcript's path (Claude Code names a project folder after
   * its working folder: -home-NAME-project), or null; and its pseudonym, the examples' user_key.
   */
  private final String homeUser;
  private final String userKey;

  public SessionFileReader(InputStream in, FileReport report, SessionSettings settings) {
    this.in = in;
    this.lines = new LineReader(in);
    this.report = report;
    this.sourceFile = report.file.relativePath;
    this.assembler = new SessionTurnAssembler(sourceFile, settings, counts, this);
    String home = Pseudonyms.homeUserOf(sourceFile);
    this.homeUser = home != null ? home : Pseudonyms.homeUserOf(report.file.uri);
    this.userKey = homeUser == null ? null : settings.pseudonyms.homeUser(homeUser);
  }

  /** What the file's lines became; complete once the report has been handed out. */
  public SessionCounts counts() {
    return counts;
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
    report.duplicateLines = counts.get(SessionCounts.DUPLICATE_LINES);
    report.unknownFields = counts.get(SessionCounts.UNKNOWN_TYPE_LINES);
    report.details.putAll(counts.toMap());
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
    if (!Utf8.isValid(buf, off, len)) {
      quarantine(lineNumber, QuarantineReasons.INVALID_UTF8, "bytes that are not valid UTF-8", null, Arrays.copyOfRange(buf, off, off + len));
      return;
    }
    SessionLine line;
    try {
      line = parser.parse(buf, off, len);
    } catch (SessionLineParser.MalformedLineException e) {
      // A last line without its newline that does not parse is what a crash mid-write leaves.
      String reason = lines.terminated() ? QuarantineReasons.INVALID_JSON : QuarantineReasons.TRUNCATED_LINE;
      quarantine(lineNumber, reason, e.getMessage(), null, Arrays.copyOfRange(buf, off, off + len));
      return;
    }
    if (line.type == null) {
      quarantine(lineNumber, QuarantineReasons.MISSING_TYPE, "a line without a type", null, Arrays.copyOfRange(buf, off, off + len));
      return;
    }
    assembler.accept(line, lineNumber, () -> Arrays.copyOfRange(buf, off, off + len));
  }

  // ---- SessionTurnAssembler.Sink ---------------------------------------------------------------

  @Override
  public void example(ExampleDraft draft) {
    report.examples++;
    draft.userKey = userKey;
    ready.addLast(ExtractRecord.example(sourceFile, rows.example(draft)));
    if (userKey != null) ready.addLast(ExtractRecord.identity(sourceFile, rows.identity(Sources.CLAUDE_SESSION, sourceFile, userKey, null, homeUser, draft.eventTimeMicros)));
  }

  @Override
  public void quarantine(long lineNumber, String reason, String detail, String requestId, byte[] raw) {
    report.quarantined(reason);
    // SourceRows leaves request_id null; the prompt uuid is in the raw line.
    ready.addLast(ExtractRecord.quarantine(sourceFile, rows.quarantine(Sources.CLAUDE_SESSION, sourceFile, lineNumber, reason, detail, raw)));
  }
}
