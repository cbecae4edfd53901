package dev.toolcalls.pipeline.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.util.StableIds;
import dev.toolcalls.pipeline.util.Timestamps;
import dev.toolcalls.schemas.EnrichmentsSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one line of a review file (JSONL) into a {@link Review}, or says exactly what is wrong
 * with it. Plain Java, one line at a time: the apply job runs it on executors.
 *
 * <p>Fields: {@code id}, {@code derived_from}, {@code example_type}, {@code user_message}, {@code
 * response_text}, {@code reasoning}, {@code problem}, {@code root_cause}, {@code bad_code}, {@code
 * good_code}, {@code quality_score} (0..1), {@code tags_add}, {@code tags_remove}, {@code
 * reviewer}, {@code reviewed_at} (ISO-8601), {@code note}; and {@code why} and {@code example},
 * which {@code enrich candidates} writes for the reviewer to read and which are ignored here.
 */
public final class ReviewParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final Set<String> FIELDS =
      Set.of("id", "derived_from", "example_type", "user_message", "response_text", "reasoning", "problem", "root_cause", "bad_code",
          "good_code", "quality_score", "tags_add", "tags_remove", "reviewer", "reviewed_at", "note");
  /** Written by {@code enrich candidates} for the reader; accepted and ignored. */
  static final Set<String> READ_ONLY_FIELDS = Set.of("why", "example");

  /** What a line gave: a review, or the reason it is rejected. */
  public record Parsed(long lineNumber, Review review, String error) implements java.io.Serializable {}

  private ReviewParser() {}

  /**
   * @param defaultReviewer used when the line names none
   * @param defaultReviewedAtMicros used when the line has no {@code reviewed_at}: the file's
   *     modification time, so that applying the same file twice changes nothing
   */
  public static Parsed parse(String line, long lineNumber, String defaultReviewer, long defaultReviewedAtMicros) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (Exception e) {
      return error(lineNumber, "not valid JSON: " + firstLine(e.getMessage()));
    }
    if (n == null || !n.isObject()) return error(lineNumber, "not a JSON object");
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) && !READ_ONLY_FIELDS.contains(f)) unknown.add(f);
    }
    if (!unknown.isEmpty()) return error(lineNumber, "unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    try {
      List<String> derivedFrom = strings(n, "derived_from");
      String exampleType = text(n, "example_type");
      String id = text(n, "id");
      String kind;
      if (derivedFrom != null) {
        if (derivedFrom.isEmpty()) return error(lineNumber, "derived_from is empty: name the examples the new one came from");
        if (exampleType == null || !EnrichmentsSchema.ADDED_TYPES.contains(exampleType)) {
          return error(lineNumber, "a new example (derived_from) needs example_type " + String.join(" or ", EnrichmentsSchema.ADDED_TYPES));
        }
        kind = EnrichmentsSchema.KIND_ADDED;
      } else {
        if (id == null || id.isBlank()) return error(lineNumber, "no id: name the example reviewed (or give derived_from for a new example)");
        kind = EnrichmentsSchema.KIND_REVIEW;
      }
      Double quality = null;
      JsonNode q = n.get("quality_score");
      if (q != null && !q.isNull()) {
        if (!q.isNumber()) return error(lineNumber, "quality_score is not a number: " + q);
        quality = q.doubleValue();
        if (!(quality >= 0.0 && quality <= 1.0)) return error(lineNumber, "quality_score " + q + " is outside 0..1");
      }
      long reviewedAt = defaultReviewedAtMicros;
      String at = text(n, "reviewed_at");
      if (at != null) {
        reviewedAt = Timestamps.parseMicros(at);
        if (reviewedAt == Timestamps.MISSING) return error(lineNumber, "reviewed_at is not an ISO-8601 time: " + at);
      }
      String reviewer = text(n, "reviewer");
      Review r =
          new Review(lineNumber, id, kind, derivedFrom, exampleType, text(n, "user_message"), text(n, "response_text"), text(n, "reasoning"),
              text(n, "problem"), text(n, "root_cause"), text(n, "bad_code"), text(n, "good_code"), quality, strings(n, "tags_add"),
              strings(n, "tags_remove"), reviewer != null ? reviewer : defaultReviewer, reviewedAt, text(n, "note"));
      if (kind.equals(EnrichmentsSchema.KIND_ADDED) && id == null) r = withId(r, addedId(r));
      return new Parsed(lineNumber, r, null);
    } catch (IllegalArgumentException e) {
      return error(lineNumber, e.getMessage());
    }
  }

  /**
   * A new example's id when the reviewer gave none: from what it says and what it came from, so the
   * same lesson applied twice is one example.
   */
  static String addedId(Review r) {
    List<String> from = new ArrayList<>(r.derivedFrom());
    from.sort(null);
    return "en-" + StableIds.hash16(String.join(",", from), r.exampleType(), norm(r.userMessage()), norm(r.reasoning()), norm(r.problem()),
        norm(r.rootCause()), norm(r.badCode()), norm(r.goodCode()), norm(r.responseText()));
  }

  private static String norm(String s) {
    return s == null ? null : s.strip().replaceAll("\\s+", " ");
  }

  static Review withId(Review r, String id) {
    return new Review(r.lineNumber(), id, r.kind(), r.derivedFrom(), r.exampleType(), r.userMessage(), r.responseText(), r.reasoning(),
        r.problem(), r.rootCause(), r.badCode(), r.goodCode(), r.qualityScore(), r.tagsAdd(), r.tagsRemove(), r.reviewer(),
        r.reviewedAtMicros(), r.note());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new IllegalArgumentException(field + " is not a string: " + v);
    return v.textValue();
  }

  private static List<String> strings(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isArray()) throw new IllegalArgumentException(field + " is not a list of strings: " + v);
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw new IllegalArgumentException(field + " is not a list of strings: " + v);
      out.add(e.textValue());
    }
    return out;
  }

  private static Parsed error(long lineNumber, String why) {
    return new Parsed(lineNumber, null, why);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int cut = s.indexOf('\n');
    return cut < 0 ? s : s.substring(0, cut);
  }
}
