package dev.toolcalls.pipeline.source.discord;

import java.util.ArrayList;
import java.util.List;

/** A request and the events that followed it, in the order they were written. */
final class Turn {
  final DiscordEvent request;
  final RawLine requestLine;
  final List<DiscordEvent> events = new ArrayList<>(4);
  /** Every line of the turn, request first: kept for duplicate detection and cross-file hand-over. */
  final List<RawLine> lines = new ArrayList<>(6);
  long lastMicros;
  /** A response or an error has been seen. */
  boolean answered;

  Turn(DiscordEvent request, RawLine requestLine) {
    this.request = request;
    this.requestLine = requestLine;
    this.lines.add(requestLine);
    this.lastMicros = request.timeMicros;
  }

  boolean hasLine(RawLine line) {
    for (RawLine l : lines) {
      if (l.bytes.length == line.bytes.length && l.sameBytes(line)) return true;
    }
    return false;
  }

  void add(DiscordEvent e, RawLine line) {
    events.add(e);
    lines.add(line);
    if (line.sortMicros > lastMicros) lastMicros = line.sortMicros;
    if (DiscordEvent.RESPONSE.equals(e.type) || DiscordEvent.ERROR.equals(e.type)) answered = true;
  }
}
