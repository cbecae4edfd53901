package dev.toolcalls.pipeline.privacy;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.schemas.Sources;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What leaves the lake in an export or a statistic: every text with its secrets replaced by typed
 * placeholders ({@link Redactor}) and people as pseudonyms ({@link Pseudonyms}: id mentions, home
 * folders, and in Discord chat text any {@code @name} extraction could not tie to a person). Works
 * on any row shape (nested structs and arrays too), so a column added to the examples later is
 * covered without a change here. Plain Java, shipped to executors.
 */
public final class Scrubber implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Columns that hold ids and labels the pipeline writes itself, never people's text. */
  private static final Set<String> OWN_VALUES = Set.of("id", "source", "example_type", "outcome", "user_key", "derived_from", "event_date", "event_time");
  /** Columns of Discord chat text, where a bare {@code @name} is a person. */
  private static final Set<String> CHAT = Set.of("user_message", "response_text");

  private final Redactor redactor;
  private final Pseudonyms pseudonyms;

  public Scrubber(Redactor redactor, Pseudonyms pseudonyms) {
    this.redactor = redactor;
    this.pseudonyms = pseudonyms;
  }

  /** With the patterns and the key of the configuration (the key read, or created, here on the driver). */
  public static Scrubber from(PipelineConfig config) {
    return new Scrubber(Redactor.from(config), Pseudonyms.from(config));
  }

  /**
   * A digest of the patterns and the key (what scrubbed labels and hit counts depend on), for
   * telling whether statistics stored earlier were computed under the same ones.
   */
  public String fingerprint() {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(this);
      }
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()), 0, 8);
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest the privacy settings: " + e.getMessage(), e);
    }
  }

  public List<String> types() {
    return redactor.types();
  }

  /** One text: secrets as placeholders (counted per type into {@code counts}, which may be null), people as pseudonyms. */
  public String text(String value, boolean chat, Map<String, Long> counts) {
    if (value == null || value.isEmpty()) return value;
    if (value.length() > MEMO_MAX_CHARS) return scrub(value, chat, counts);
    Map<String, Scrubbed> memo = memo(chat);
    Scrubbed known = memo.get(value);
    if (known == null) {
      Map<String, Long> hits = new TreeMap<>();
      known = new Scrubbed(scrub(value, chat, hits), hits.isEmpty() ? Map.of() : Map.copyOf(hits));
      memo.put(value, known);
    }
    if (counts != null) known.hits().forEach((type, n) -> counts.merge(type, n, Long::sum));
    return known.text();
  }

  private String scrub(String value, boolean chat, Map<String, Long> counts) {
    return pseudonyms.forExport(redactor.redact(value, counts), chat);
  }

  /*
   * Scrubbing runs every pattern over every text, and texts repeat (the same tool results, states
   * and answers): each thread remembers the recent short texts it scrubbed, with their hits, per
   * scrubber (its own patterns and key) and per kind of text (chat or not).
   */
  static final int MEMO_MAX_CHARS = 4096;
  static final int MEMO_ENTRIES = 2048;

  private record Scrubbed(String text, Map<String, Long> hits) {}

  private transient volatile ThreadLocal<Map<Boolean, Map<String, Scrubbed>>> memos;

  private Map<String, Scrubbed> memo(boolean chat) {
    ThreadLocal<Map<Boolean, Map<String, Scrubbed>>> m = memos;
    if (m == null) {
      synchronized (this) {
        if (memos == null) memos = ThreadLocal.withInitial(java.util.HashMap::new);
        m = memos;
      }
    }
    return m.get().computeIfAbsent(chat, c -> new java.util.LinkedHashMap<>(MEMO_ENTRIES * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Scrubbed> eldest) {
        return size() > MEMO_ENTRIES;
      }
    });
  }

  /** A row of {@code schema} with every text field scrubbed; hits counted into {@code counts}. */
  public Row row(Row r, StructType schema, Map<String, Long> counts) {
    boolean discord = hasField(schema, "source") && Sources.DISCORD.equals(r.getAs("source"));
    return struct(r, schema, counts, discord, true);
  }

  private Row struct(Row r, StructType schema, Map<String, Long> counts, boolean discord, boolean top) {
    StructField[] fields = schema.fields();
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      v[i] = top && OWN_VALUES.contains(name) ? r.get(i) : value(r.get(i), fields[i].dataType(), counts, discord && top && CHAT.contains(name));
    }
    return RowFactory.create(v);
  }

  private Object value(Object v, DataType type, Map<String, Long> counts, boolean chat) {
    if (v == null) return null;
    if (type instanceof StringType) return text((String) v, chat, counts);
    if (type instanceof StructType st) return struct((Row) v, st, counts, false, false);
    if (type instanceof ArrayType at && (at.elementType() instanceof StringType || at.elementType() instanceof StructType)) {
      List<?> in = v instanceof scala.collection.Seq<?> seq ? scala.collection.JavaConverters.seqAsJavaList(seq) : (List<?>) v;
      List<Object> out = new ArrayList<>(in.size());
      for (Object x : in) out.add(value(x, at.elementType(), counts, false));
      return scala.collection.JavaConverters.asScalaBuffer(out).toSeq();
    }
    return v; // numbers, booleans, times, binary: nothing to scrub
  }

  private static boolean hasField(StructType schema, String name) {
    for (String f : schema.fieldNames()) if (f.equals(name)) return true;
    return false;
  }
}
