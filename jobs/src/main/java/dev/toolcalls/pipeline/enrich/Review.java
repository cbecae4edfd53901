package dev.toolcalls.pipeline.enrich;

import java.io.Serializable;
import java.util.List;

/**
 * One line of a review file, checked: either a review of an existing example ({@code kind =
 * review}, {@code id} is the example's) or a new example the reviewer wrote ({@code kind = added},
 * {@code derivedFrom} the examples it came from). Null fields leave the example as it is.
 */
public record Review(
    long lineNumber,
    String id,
    String kind,
    List<String> derivedFrom,
    String exampleType,
    String userMessage,
    String responseText,
    String reasoning,
    String problem,
    String rootCause,
    String badCode,
    String goodCode,
    Double qualityScore,
    List<String> tagsAdd,
    List<String> tagsRemove,
    String reviewer,
    long reviewedAtMicros,
    String note)
    implements Serializable {

  /** True when the line changes nothing (a candidate line sent back untouched). */
  public boolean isEmpty() {
    return exampleType == null && userMessage == null && responseText == null && reasoning == null && problem == null
        && rootCause == null && badCode == null && goodCode == null && qualityScore == null
        && (tagsAdd == null || tagsAdd.isEmpty()) && (tagsRemove == null || tagsRemove.isEmpty()) && note == null;
  }
}
