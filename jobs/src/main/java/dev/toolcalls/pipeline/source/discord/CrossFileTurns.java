package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.source.ExtractRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * The second pass: the few lines left open at the ends of files, grouped by request id, put back in
 * time order and assembled again. What still has no request, or no answer, is quarantined here.
 */
public final class CrossFileTurns implements FlatMapFunction<Tuple2<String, Iterable<InternalRow>>, ExtractRecord> {
  private static final long serialVersionUID = 1L;
  private static final Comparator<InternalRow> TIME_ORDER =
      Comparator.<InternalRow>comparingLong(r -> r.getLong(3)).thenComparing(r -> r.getUTF8String(1)).thenComparingLong(r -> r.getLong(2));
  private final DiscordSettings settings;

  public CrossFileTurns(DiscordSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<ExtractRecord> call(Tuple2<String, Iterable<InternalRow>> group) {
    return assemble(group._2()).iterator();
  }

  /** Assembles hand-over rows (all of one request id) into examples and quarantine rows. */
  public List<ExtractRecord> assemble(Iterable<InternalRow> handOvers) {
    DiscordRows factory = new DiscordRows(settings);
    List<InternalRow> rows = new ArrayList<>();
    handOvers.forEach(rows::add);
    rows.sort(TIME_ORDER);
    List<ExtractRecord> out = new ArrayList<>();
    TurnAssembler assembler =
        new TurnAssembler(
            new TurnAssembler.Sink() {
              @Override
              public void turn(Turn turn) {
                out.add(ExtractRecord.example(turn.requestLine.sourceFile, factory.example(turn)));
              }

              @Override
              public void handOver(List<RawLine> lines, String requestId) {
                throw new IllegalStateException("the cross-file pass is the last one");
              }

              @Override
              public void quarantine(RawLine line, String reason, String detail, String requestId) {
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
