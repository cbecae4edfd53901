package dev.toolcalls.pipeline.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps whole names (case-insensitive) to values. A '*' in a key matches any run of characters;
 * exact keys win over patterns, and patterns are tried in the order they were written.
 */
final class NameMatcher<V extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, V> exact = new HashMap<>();
  private final List<Pattern> patterns = new ArrayList<>();
  private final List<V> patternValues = new ArrayList<>();

  NameMatcher(Map<String, V> rules) {
    rules.forEach(
        (key, value) -> {
          String k = key.toUpperCase(Locale.ROOT);
          if (k.indexOf('*') < 0) {
            exact.put(k, value);
          } else {
            String[] parts = k.split("\\*", -1);
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
              if (i > 0) re.append(".*");
              if (!parts[i].isEmpty()) re.append(Pattern.quote(parts[i]));
            }
            patterns.add(Pattern.compile(re.toString()));
            patternValues.add(value);
          }
        });
  }

  /** The value for the name, or null when no rule names it. */
  V match(String name) {
    if (name == null) return null;
    String n = name.toUpperCase(Locale.ROOT);
    V v = exact.get(n);
    if (v != null) return v;
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matcher(n).matches()) return patternValues.get(i);
    }
    return null;
  }
}
