package dev.toolcalls.pipeline.source;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/** What reading one file gave: counts for the run summary and ingest_log, and any read error. */
public final class FileReport implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String source;
  public final InputFile file;
  public long bytesRead;
  public long lines;
  public long blankLines;
  public long duplicateLines;
  /** Examples completed inside this file (first pass). */
  public long examples;
  /** Lines handed to the cross-file pass. */
  public long handedOver;
  /** Of those, lines whose request is not in this file (it may be in the day before). */
  public long orphansHandedOver;
  public long unknownFields;
  public final Map<String, Long> quarantined = new TreeMap<>();
  /** A source's own finer counts for the run summary (sessions: turns without a game call, ...). */
  public final Map<String, Long> details = new TreeMap<>();
  /** The file was still being written (modified within the settle time): read it again next run. */
  public boolean settling;
  /** XXH64 of the file's bytes as stored (see ContentHash), once it has been read to its end. */
  public String contentHash;
  /** Holds the request of a turn that goes on in a later file / lines of a turn begun in an earlier one. */
  public boolean joinedWithNext;
  public boolean joinedWithPrevious;
  /** Why the file could not be read to its end, or null. */
  public String error;

  public FileReport(String source, InputFile file) {
    this.source = source;
    this.file = file;
  }

  public void quarantined(String reason) {
    quarantined.merge(reason, 1L, Long::sum);
  }

  public long quarantinedTotal() {
    return quarantined.values().stream().mapToLong(Long::longValue).sum();
  }
}
