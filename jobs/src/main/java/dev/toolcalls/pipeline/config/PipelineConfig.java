package dev.toolcalls.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged configuration: shipped defaults ({@code conf/pipeline.yaml}), the profile, the user's
 * file and {@code key=value} overrides, later ones winning member by member. Rule files named under
 * {@code rules:} are loaded once, here on the driver, and travel to executors inside the rule
 * objects, so nothing on a worker reads local files.
 */
public final class PipelineConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SYS_PROP = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");

  private final ObjectNode root;
  private final Map<String, JsonNode> ruleFiles;
  private final String profile;
  private final String rulesVersion;

  private PipelineConfig(ObjectNode root, Map<String, JsonNode> ruleFiles, String profile) {
    this.root = root;
    this.ruleFiles = ruleFiles;
    this.profile = profile;
    this.rulesVersion = digest(ruleFiles);
  }

  /** Where the configuration comes from. */
  public static final class Sources {
    /** The conf folder; null means the copy inside the jar. */
    public Path confDir;
    /** The user's YAML file merged over the defaults; may be null. */
    public Path userFile;
    /** local | cluster | null (decide from spark.master). */
    public String profile;
    /** key=value overrides, dotted paths. */
    public List<String> overrides = List.of();
  }

  public static PipelineConfig load(Sources sources) {
    ConfFolder folder = new ConfFolder(sources.confDir);
    ObjectNode root = folder.readObject("pipeline.yaml");
    ObjectNode userTree = sources.userFile == null ? null : readFile(sources.userFile);
    Map<String, String> overrides = parseOverrides(sources.overrides);

    String profile = sources.profile;
    if (profile == null && overrides.containsKey("profile")) profile = overrides.get("profile");
    if (profile == null && userTree != null && userTree.hasNonNull("profile")) profile = userTree.get("profile").asText();
    if (profile == null && root.hasNonNull("profile")) profile = root.get("profile").asText();
    if (profile == null) profile = System.getProperty("spark.master") != null ? "cluster" : "local";
    if (!folder.exists("profiles/" + profile + ".yaml")) {
      throw new BadInputException("unknown profile '" + profile + "': there is no profiles/" + profile + ".yaml");
    }
    merge(root, folder.readObject("profiles/" + profile + ".yaml"));
    if (userTree != null) merge(root, userTree);
    overrides.forEach((k, v) -> set(root, k, v));
    root.put("profile", profile);
    substituteSystemProperties(root);

    Map<String, JsonNode> rules = new LinkedHashMap<>();
    JsonNode ruleNames = root.path("rules");
    for (Iterator<Map.Entry<String, JsonNode>> it = ruleNames.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rules.put(e.getKey(), folder.readAny(e.getValue().asText()));
    }
    return new PipelineConfig(root, rules, profile);
  }

  /** The shipped defaults only (tests, tools). */
  public static PipelineConfig defaults() {
    return load(new Sources());
  }

  public String profile() {
    return profile;
  }

  /** A hash of every rule file's content: it changes exactly when a rule changes. */
  public String rulesVersion() {
    return rulesVersion;
  }

  public JsonNode node(String dottedPath) {
    JsonNode n = root;
    for (String part : dottedPath.split("\\.")) n = n.path(part);
    return n;
  }

  public String string(String path, String fallback) {
    JsonNode n = node(path);
    return n.isMissingNode() || n.isNull() ? fallback : n.asText();
  }

  public boolean bool(String path, boolean fallback) {
    JsonNode n = node(path);
    if (n.isMissingNode() || n.isNull()) return fallback;
    if (n.isBoolean()) return n.asBoolean();
    String text = n.asText().trim();
    if (text.equalsIgnoreCase("true")) return true;
    if (text.equalsIgnoreCase("false")) return false;
    throw new BadInputException("configuration " + path + " must be true or false, not '" + text + "'");
  }

  public long longValue(String path, long fallback) {
    JsonNode n = node(path);
    if (n.isMissingNode() || n.isNull()) return fallback;
    if (n.isNumber()) return n.asLong();
    try {
      return Long.parseLong(n.asText().trim());
    } catch (NumberFormatException e) {
      throw new BadInputException("configuration " + path + " must be a whole number, not '" + n.asText() + "'");
    }
  }

  /** The spark: section as flat key/value pairs. */
  public Map<String, String> sparkSettings() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node("spark").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNull()) out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** A rule file's tree, by its key under rules:. */
  public JsonNode rules(String name) {
    JsonNode n = ruleFiles.get(name);
    if (n == null) throw new BadInputException("no rule file configured under rules." + name);
    return n;
  }

  public <T> T rules(String name, Class<T> type) {
    try {
      return YAML.treeToValue(rules(name), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadInputException("rule file rules." + name + " is not valid: " + e.getOriginalMessage(), e);
    }
  }

  /** The merged configuration as YAML, for --help-config style printing. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- merging -------------------------------------------------------------------------------

  static void merge(ObjectNode into, ObjectNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static Map<String, String> parseOverrides(List<String> overrides) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) throw new BadInputException("--conf expects key=value, got '" + o + "'");
      out.put(o.substring(0, eq).trim(), o.substring(eq + 1));
    }
    return out;
  }

  /** Sets a dotted path; under spark: the rest of the key is one Spark setting name. */
  private static void set(ObjectNode root, String key, String value) {
    JsonNode parsed;
    try {
      parsed = value.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(value);
    } catch (IOException e) {
      parsed = JsonNodeFactory.instance.textNode(value);
    }
    if (parsed == null || parsed.isMissingNode()) parsed = JsonNodeFactory.instance.textNode(value);
    if (key.startsWith("spark.")) {
      root.with("spark").put(key, value);
      return;
    }
    String[] parts = key.split("\\.");
    ObjectNode at = root;
    for (int i = 0; i < parts.length - 1; i++) at = at.with(parts[i]);
    at.set(parts[parts.length - 1], parsed);
  }

  private static void substituteSystemProperties(JsonNode node) {
    if (!(node instanceof ObjectNode)) return;
    ObjectNode obj = (ObjectNode) node;
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isTextual()) {
        Matcher m = SYS_PROP.matcher(e.getValue().asText());
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(System.getProperty(m.group(1), "")));
        m.appendTail(sb);
        e.setValue(JsonNodeFactory.instance.textNode(sb.toString()));
      } else {
        substituteSystemProperties(e.getValue());
      }
    }
  }

  private static ObjectNode readFile(Path file) {
    if (!Files.isRegularFile(file)) throw new BadInputException("configuration file not found: " + file);
    try (InputStream in = Files.newInputStream(file)) {
      JsonNode n = YAML.readTree(in);
      if (n == null || n.isMissingNode() || n.isNull()) return JsonNodeFactory.instance.objectNode();
      if (!(n instanceof ObjectNode)) throw new BadInputException(file + " must hold a YAML mapping");
      return (ObjectNode) n;
    } catch (IOException e) {
      throw new BadInputException("cannot read configuration " + file + ": " + e.getMessage(), e);
    }
  }

  private static String digest(Map<String, JsonNode> rules) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(new ObjectMapper().writeValueAsBytes(rules));
      byte[] d = md.digest();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 6; i++) sb.append(String.format("%02x", d[i]));
      return sb.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The conf folder on disk, or the copy packed in the jar under conf/. */
  private static final class ConfFolder {
    private final Path dir;

    ConfFolder(Path dir) {
      if (dir != null && !Files.isDirectory(dir)) throw new BadInputException("conf folder not found: " + dir);
      this.dir = dir;
    }

    boolean exists(String relative) {
      if (dir != null) return Files.isRegularFile(dir.resolve(relative));
      return PipelineConfig.class.getClassLoader().getResource("conf/" + relative) != null;
    }

    ObjectNode readObject(String relative) {
      JsonNode n = readAny(relative);
      if (!(n instanceof ObjectNode)) throw new BadInputException(relative + " must hold a YAML mapping");
      return (ObjectNode) n;
    }

    JsonNode readAny(String name) {
      Path p = Path.of(name);
      if (p.isAbsolute()) return readFile(p);
      if (dir != null) return readFile(dir.resolve(name));
      try (InputStream in = PipelineConfig.class.getClassLoader().getResourceAsStream("conf/" + name)) {
        if (in == null) throw new BadInputException("conf/" + name + " is not in the jar");
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        JsonNode n = YAML.readTree(text);
        return n == null ? JsonNodeFactory.instance.objectNode() : n;
      } catch (IOException e) {
        throw new BadInputException("cannot read conf/" + name + ": " + e.getMessage(), e);
      }
    }
  }
}
