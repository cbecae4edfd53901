package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.schemas.QuarantineReasons;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * The second pass: the few lines left open at the ends of files, grouped by request id, put back in
 * time order and assembled again. What still has no request, or no answer, is quarantined here,
 * unless part of it lies in a file still being written: then the answer may yet come, and the
 * lines are deferred to the next run, which reads that file again.
 */
public final class CrossFileTurns implements FlatMapFunction<Tuple2<String, Iterable<InternalRow>>, ExtractRecord> {
  private static final long serialVersionUID = 1L;
  private static final Comparator<InternalRow> TIME_ORDER =
      Comparator.<InternalRow>comparingLong(r -> r.getLong(3)).thenComparing(r -> r.getUTF8String(1)).thenComparingLong(r -> r.getLong(2));
  private final DiscordSettings settings;
  /** The files of this run modified within the settle time (relative paths). */
  private final java.util.Set<String> settlingFiles;
  /**
   * Made once per task (each task deserializes its own copy of this function): building the row
   * projections per request id cost 7% of a whole extraction's CPU (measured with JFR).
   */
  private transient DiscordRows rows;

  public CrossFileTurns(DiscordSettings settings, java.util.Set<String> settlingFiles) {
    this.settings = settings;
    this.settlingFiles = java.util.Set.copyOf(settlingFiles);
  }

  @Override
  public Iterator<ExtractRecord> call(Tuple2<String, Iterable<InternalRow>> group) {
    return assemble(group._2()).iterator();
  }

  /** Assembles hand-over rows (all of one request id) into examples and quarantine rows. */
  public List<ExtractRecord> assemble(Iterable<InternalRow> handOvers) {
    if (rows == null) rows = new DiscordRows(settings);
    DiscordRows factory = rows;
    List<InternalRow> rows = new ArrayList<>();
    handOvers.forEach(rows::add);
    rows.sort(TIME_ORDER);
    boolean stillBeingWritten = rows.stream().anyMatch(r -> settlingFiles.contains(r.getUTF8String(1).toString()));
    List<ExtractRecord> out = new ArrayList<>();
    TurnAssembler assembler =
        new TurnAssembler(
            new TurnAssembler.Sink() {
              @Override
              public void turn(Turn turn) {
                factory.records(turn, out::add);
                // Remembered in ingest_log: a nightly run that reads one of these files reads the other too.
                java.util.Set<String> others = new java.util.TreeSet<>();
                for (RawLine l : turn.lines) if (!l.sourceFile.equals(turn.requestLine.sourceFile)) others.add(l.sourceFile);
                if (others.isEmpty()) return;
                out.add(ExtractRecord.joined(turn.requestLine.sourceFile, ExtractRecord.Kind.JOINED_WITH_NEXT));
                for (String o : others) out.add(ExtractRecord.joined(o, ExtractRecord.Kind.JOINED_WITH_PREVIOUS));
              }

              @Override
              public void handOver(List<RawLine> lines, String requestId, boolean orphan) {
                throw new IllegalStateException("the cross-file pass is the last one");
              }

              @Override
              public void quarantine(RawLine line, String reason, String detail, String requestId) {
                if (stillBeingWritten && (QuarantineReasons.INCOMPLETE_TURN.equals(reason) || QuarantineReasons.ORPHAN_EVENT.equals(reason))) {
                  out.add(ExtractRecord.deferred(line.sourceFile));
                  return;
                }
                out.add(ExtractRecord.quarantine(line.sourceFile, factory.quarantine(line.sourceFile, line.lineNumber, reason, detail, requestId, line.bytes)));
              }

              @Override
              public void duplicate(RawLine line) {}
            },
            Long.MAX_VALUE / 4,
            settings.maxTurnMicros,
            true);
    DiscordEventParser parser = new DiscordEventParser();
    for (InternalRow r : rows) {
      byte[] bytes = r.getUTF8String(4).getBytes();
      RawLine line = new RawLine(r.getUTF8String(1).toString(), r.getLong(2), bytes, r.getLong(3));
      try {
        assembler.accept(parser.parse(bytes, 0, bytes.length), line);
      } catch (DiscordEventParser.MalformedLineException e) {
        throw new IllegalStateException("a line that parsed in the first pass no longer parses: " + line.sourceFile + ":" + line.lineNumber, e);
      }
    }
    assembler.finish();
    return out;
  }
}
