package dev.toolcalls.pipeline.rules;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token counts per role of an example, with a real BPE tokenizer that runs in the JVM (JTokkit:
 * {@code o200k_base}, {@code cl100k_base}, ...; conf {@code tokens.encoding}). What each role holds:
 * system the export's system prompt; user the request (and a lesson's problem and bad code); assistant
 * each call's tool name and arguments, the reasoning, root cause, good code and response; tool the
 * calls' results. Special-token text in the logs counts as ordinary text. The encoding is loaded
 * once per JVM (a lazy static registry), not per task.
 *
 * <p>Counting is the dearest part of extraction (the BPE pre-tokenizer is a regular expression run
 * over every result), and tool results repeat (the same short answers, the same states: in the real
 * logs 92 distinct results of 201, half the bytes), so each thread remembers the counts of the
 * recent short texts it has seen. The count of a text never depends on the cache.
 */
public final class TokenCounter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<EncodingType, Encoding> LOADED = new ConcurrentHashMap<>();
  private static volatile EncodingRegistry registry;
  /** Texts up to this many chars are remembered... */
  static final int MEMO_MAX_CHARS = 4096;
  /** ...this many per thread and encoding, least recently used first out (at most 2048 x 4096 chars: 16 MB of Latin-1 text). */
  static final int MEMO_ENTRIES = 2048;
  private static final ThreadLocal<Map<EncodingType, Map<String, Integer>>> MEMO = ThreadLocal.withInitial(() -> new java.util.EnumMap<>(EncodingType.class));

  private final EncodingType type;
  private final int systemTokens;

  /** Per role, and their sum. */
  public record Counts(int system, int user, int assistant, int tool) {
    public int total() {
      return system + user + assistant + tool;
    }
  }

  /** {@code encoding} {@code none} turns counting off (the column is null): it costs extraction time. */
  public TokenCounter(String encoding, String systemPrompt) {
    String name = encoding == null ? "" : encoding.trim();
    this.type = name.equals("none") ? null : EncodingType.fromName(name)
        .orElseThrow(() -> new IllegalArgumentException("tokens.encoding: unknown encoding '" + encoding + "' (o200k_base, cl100k_base, p50k_base, p50k_edit, r50k_base, none)"));
    this.systemTokens = count(systemPrompt);
  }

  public boolean enabled() {
    return type != null;
  }

  public String encoding() {
    return type == null ? "none" : type.getName();
  }

  public int count(String text) {
    if (type == null || text == null || text.isEmpty()) return 0;
    if (text.length() > MEMO_MAX_CHARS) return encoding(type).countTokensOrdinary(text);
    Map<String, Integer> memo = MEMO.get().computeIfAbsent(type, t -> new java.util.LinkedHashMap<>(MEMO_ENTRIES * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
        return size() > MEMO_ENTRIES;
      }
    });
    Integer known = memo.get(text);
    if (known != null) return known;
    int n = encoding(type).countTokensOrdinary(text);
    memo.put(text, n);
    return n;
  }

  public Counts counts(List<String> userTexts, List<String> assistantTexts, List<String> toolNames, List<String> arguments, List<String> results) {
    int user = 0, assistant = 0, tool = 0;
    for (String t : userTexts) user += count(t);
    for (String t : assistantTexts) assistant += count(t);
    for (String t : toolNames) assistant += count(t);
    for (String t : arguments) assistant += count(t);
    for (String t : results) tool += count(t);
    return new Counts(systemTokens, user, assistant, tool);
  }

  private static Encoding encoding(EncodingType type) {
    Encoding e = LOADED.get(type);
    if (e != null) return e;
    if (registry == null) {
      synchronized (TokenCounter.class) {
        if (registry == null) registry = Encodings.newLazyEncodingRegistry();
      }
    }
    return LOADED.computeIfAbsent(type, t -> registry.getEncoding(t));
  }
}
