package dev.toolcalls.pipeline.source;

import java.util.ArrayList;
import java.util.List;

/**
 * An example as a source reader sees it, before the conf-driven rule columns (task type, tags,
 * quality) are added: plain Java, so readers are unit-tested without Spark. {@link SourceRows}
 * turns it into a row of {@code ExamplesSchema.PARSED}. A null {@code exampleType} lets the rules
 * decide (from the tool calls); journal readers set it themselves.
 */
public final class ExampleDraft {
  /** One tool call; arguments and result are JSON text as written (or plain text). */
  public record ToolCall(String tool, String arguments, String result, Boolean isError) {}

  public String id;
  public String source;
  public String sourceFile;
  public Long sourceLine;
  public String exampleType;
  public String userMessage;
  public String gameState;
  public String context;
  public final List<ToolCall> toolCalls = new ArrayList<>();
  public String responseText;
  public String reasoning;
  public String problem;
  public String rootCause;
  public String badCode;
  public String goodCode;
  public String loggedTaskType;
  /** "ok" or "error". */
  public String outcome = "ok";
  public String error;
  public String requestId;
  public String accountId;
  /** Microseconds since the epoch (UTC), or null when the source has no time. */
  public Long eventTimeMicros;
  /** Days since the epoch: the partition; required. */
  public Integer eventDate;
  /** The pseudonym of the person behind it (see Pseudonyms), or null. */
  public String userKey;

  @Override
  public String toString() {
    return "ExampleDraft{" + id + ", " + exampleType + ", " + sourceFile + ":" + sourceLine + ", tools=" + toolCalls.size() + "}";
  }
}
