package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.schemas.QuarantineReasons;
import dev.toolcalls.pipeline.util.Timestamps;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups events into turns by request id, in file order. A request id is only a time of day, so
 * it identifies a turn only together with time: a second request with the same id starts a new
 * turn, and an event more than the maximum turn length after its request does not join it.
 *
 * <p>An answered turn (response or error seen) is handed out once no event has come for it for a
 * grace period, so memory holds only the turns of the last few minutes, whatever the file size.
 * What is still open at the end of a file is handed over to the cross-file pass; in that final pass
 * ({@code finalPass}) it is quarantined instead.
 */
final class TurnAssembler {
  /** Where turns, hand-overs and quarantined lines go. */
  interface Sink {
    void turn(Turn turn);

    /** Lines that may belong to a turn in another file (first pass only). */
    /** {@code orphan}: a line without its request in this input; else a turn still open at its end. */
    void handOver(List<RawLine> lines, String requestId, boolean orphan);

    void quarantine(RawLine line, String reason, String detail, String requestId);

    void duplicate(RawLine line);
  }

  private final Sink sink;
  private final long graceMicros;
  private final long maxTurnMicros;
  private final boolean finalPass;
  private final Map<String, Turn> open = new LinkedHashMap<>();
  private final ArrayDeque<Turn> answered = new ArrayDeque<>();
  /** Request lines of recently closed turns, to recognise a late duplicate of one. */
  private final Map<String, RawLine> recentlyClosed = new HashMap<>();
  private final ArrayDeque<Map.Entry<String, RawLine>> recentlyClosedOrder = new ArrayDeque<>();
  private static final int MAX_REMEMBERED = 100_000;

  TurnAssembler(Sink sink, long graceMicros, long maxTurnMicros, boolean finalPass) {
    this.sink = sink;
    this.graceMicros = graceMicros;
    this.maxTurnMicros = maxTurnMicros;
    this.finalPass = finalPass;
  }

  void accept(DiscordEvent e, RawLine line) {
    long now = line.sortMicros;
    if (now != Timestamps.MISSING) evictAnsweredBefore(now - graceMicros);
    String rid = e.requestId;
    Turn current = open.get(rid);
    if (DiscordEvent.REQUEST.equals(e.type)) {
      if (current != null && current.requestLine.sameBytes(line)) {
        sink.duplicate(line);
        return;
      }
      if (current == null && line.sameBytes(recentlyClosed.get(rid))) {
        sink.duplicate(line);
        return;
      }
      if (e.timeMicros == Timestamps.MISSING) {
        sink.quarantine(line, QuarantineReasons.MISSING_TIMESTAMP, "a request needs a timestamp", rid);
        return;
      }
      if (current != null) close(current); // the request id came round again: a new turn
      open.put(rid, new Turn(e, line));
      return;
    }
    if (current != null && now != Timestamps.MISSING && now - current.request.timeMicros > maxTurnMicros) {
      close(current); // too late to belong to that request: the id has come round again
      current = null;
    }
    if (current == null) {
      orphan(line, rid);
      return;
    }
    if (current.hasLine(line)) {
      sink.duplicate(line);
      return;
    }
    boolean wasAnswered = current.answered;
    current.add(e, line);
    if (!wasAnswered && current.answered) answered.addLast(current);
  }

  /** End of input: everything still open is finished or handed over. */
  void finish() {
    List<Turn> rest = new ArrayList<>(open.values());
    for (Turn t : rest) close(t);
    answered.clear();
  }

  private void evictAnsweredBefore(long cutoff) {
    while (!answered.isEmpty()) {
      Turn head = answered.peekFirst();
      if (open.get(head.request.requestId) != head) { // already closed another way
        answered.pollFirst();
        continue;
      }
      if (head.lastMicros >= cutoff) return;
      answered.pollFirst();
      close(head);
    }
  }

  private void close(Turn t) {
    String rid = t.request.requestId;
    if (open.get(rid) == t) open.remove(rid);
    remember(t.requestLine, rid);
    if (t.answered) {
      sink.turn(t);
    } else if (finalPass) {
      for (RawLine l : t.lines) {
        sink.quarantine(l, QuarantineReasons.INCOMPLETE_TURN, "request with neither response nor error", rid);
      }
    } else {
      sink.handOver(t.lines, rid, false);
    }
  }

  private void orphan(RawLine line, String rid) {
    if (finalPass) {
      sink.quarantine(line, QuarantineReasons.ORPHAN_EVENT, "no request with this request_id before it", rid);
    } else {
      sink.handOver(List.of(line), rid, true);
    }
  }

  private void remember(RawLine requestLine, String rid) {
    recentlyClosed.put(rid, requestLine);
    recentlyClosedOrder.addLast(Map.entry(rid, requestLine));
    // Forget requests older than the longest turn: a copy written later than that is not a retry.
    long cutoff = requestLine.sortMicros - maxTurnMicros;
    while (!recentlyClosedOrder.isEmpty()) {
      Map.Entry<String, RawLine> oldest = recentlyClosedOrder.peekFirst();
      if (oldest.getValue().sortMicros >= cutoff && recentlyClosedOrder.size() <= MAX_REMEMBERED) break;
      recentlyClosedOrder.pollFirst();
      recentlyClosed.remove(oldest.getKey(), oldest.getValue());
    }
  }
}
