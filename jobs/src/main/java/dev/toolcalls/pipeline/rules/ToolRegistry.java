package dev.toolcalls.pipeline.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tool registry (conf/tools/registry.yaml): every game-control tool with a description and a
 * JSON Schema of its arguments, and the verbs {@code send_command} knows. {@link #check} lists the
 * problems of a turn's calls; {@link #openAiTools} is the OpenAI-format tool list. Travels to
 * executors as schema text; each JVM compiles the schemas once (a static cache keyed by the
 * registry's content), not once per task or row.
 */
public final class ToolRegistry implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Compiled schemas per registry content hash: once per JVM, shared by every task. */
  private static final Map<String, Map<String, JsonSchema>> COMPILED = new ConcurrentHashMap<>();

  public static final String UNKNOWN_TOOL = "unknown_tool";
  public static final String SCHEMA = "schema";
  public static final String UNKNOWN_COMMAND = "unknown_command";

  /** One problem of one call: {@code call} is its position in the turn's tool calls. */
  public record Problem(int call, String tool, String code, String message) implements Serializable {}

  /** Bound from YAML. */
  public static final class Spec {
    public List<String> commands = List.of();
    public Map<String, ToolSpec> tools = new LinkedHashMap<>();
  }

  /** A tool: what it does and the JSON Schema of its arguments object. */
  public static final class ToolSpec {
    public String description;
    public JsonNode parameters;
  }

  /** Tool name to description, in registry order. */
  private final LinkedHashMap<String, String> descriptions = new LinkedHashMap<>();
  /** Tool name to its arguments' schema as JSON text (text: JsonNode trees are not Serializable). */
  private final HashMap<String, String> schemas = new HashMap<>();
  private final Set<String> commands = new LinkedHashSet<>();
  private final ToolCatalog catalog;
  private final String key;
  /** The OpenAI function entries of the registered tools, built on first use. */
  private transient volatile List<ObjectNode> functions;

  public ToolRegistry(Spec spec, ToolCatalog catalog) {
    this.catalog = catalog;
    if (spec.tools == null || spec.tools.isEmpty()) throw new IllegalArgumentException("tool registry: no tools");
    // Checked against the draft's meta-schema (bundled with the library, no download): a typo such
    // as `type: strng` would otherwise make a schema that lets every call through.
    JsonSchema meta = factory().getSchema(SchemaLocation.of(SchemaId.V202012));
    spec.tools.forEach((name, t) -> {
      if (t == null || t.parameters == null || !t.parameters.isObject()) throw new IllegalArgumentException("tool registry: " + name + " has no parameters schema (an object)");
      Set<ValidationMessage> wrong = meta.validate(t.parameters);
      if (!wrong.isEmpty()) {
        throw new IllegalArgumentException("tool registry: the schema of " + name + " is not a JSON Schema (2020-12): "
            + wrong.stream().map(ValidationMessage::getMessage).sorted().collect(java.util.stream.Collectors.joining("; ")));
      }
      descriptions.put(name, t.description == null ? "" : t.description.strip());
      schemas.put(name, t.parameters.toString());
    });
    for (String c : spec.commands) commands.add(c.strip().toUpperCase(Locale.ROOT));
    for (String tool : catalog.commandTools()) {
      if (!schemas.containsKey(tool)) throw new IllegalArgumentException("tool registry: command tool " + tool + " (tools.yaml) is not registered");
    }
    this.key = hash(descriptions + "\n" + schemas + "\n" + commands);
  }

  public boolean isRegistered(String tool) {
    return tool != null && schemas.containsKey(tool);
  }

  /** The known command verbs, upper-case. */
  public Set<String> commands() {
    return Collections.unmodifiableSet(commands);
  }

  /**
   * The problems of a turn's calls ({@code arguments} as stored: JSON text, a plain string from
   * older bots), in call order; empty when every call is a registered tool with arguments on its
   * schema and every command's verb is known. A call has at most one problem of each code.
   */
  public List<Problem> check(List<String> tools, List<String> arguments) {
    List<Problem> out = new ArrayList<>();
    Map<String, JsonSchema> compiled = null;
    for (int i = 0; i < tools.size(); i++) {
      String tool = tools.get(i);
      String args = i < arguments.size() ? arguments.get(i) : null;
      if (!isRegistered(tool)) {
        out.add(new Problem(i, tool, UNKNOWN_TOOL, "tool " + tool + " is not in the tool registry"));
        continue;
      }
      JsonNode value;
      try {
        value = argumentsObject(tool, args);
      } catch (JsonProcessingException e) {
        out.add(new Problem(i, tool, SCHEMA, "arguments are not JSON: " + e.getOriginalMessage()));
        continue;
      }
      if (compiled == null) compiled = compiled();
      Set<ValidationMessage> messages = compiled.get(tool).validate(value);
      if (!messages.isEmpty()) {
        TreeSet<String> texts = new TreeSet<>(); // sorted: the same call gives the same text on every run
        for (ValidationMessage m : messages) texts.add(m.getMessage());
        out.add(new Problem(i, tool, SCHEMA, String.join("; ", texts)));
      }
      if (catalog.isCommandTool(tool)) {
        String verb = ToolCatalog.verbOf(catalog.commandOf(tool, args));
        if (verb != null && !commands.contains(verb)) out.add(new Problem(i, tool, UNKNOWN_COMMAND, "command verb " + verb + " is not a known command"));
      }
    }
    return out;
  }

  /**
   * The arguments as the tool receives them: a JSON value, an older bot's plain string given to a
   * command tool taken as its command, no arguments as an empty object.
   */
  private JsonNode argumentsObject(String tool, String args) throws JsonProcessingException {
    if (args == null) return JsonNodeFactory.instance.objectNode();
    JsonNode v = JSON.readTree(args);
    if (v == null || v.isMissingNode() || v.isNull()) return JsonNodeFactory.instance.objectNode();
    if (v.isTextual() && catalog.isCommandTool(tool)) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.set(catalog.commandArgument(), v);
      return o;
    }
    return v;
  }

  /**
   * The OpenAI tool list: {@code {"type": "function", "function": {name, description, parameters}}}
   * per registered tool, in registry order, then (for calls of tools the registry does not know,
   * already flagged in {@code validation}) an entry with an open schema so every call names a
   * listed function.
   */
  public ArrayNode openAiTools(Iterable<String> called) {
    List<ObjectNode> registered = functions;
    if (registered == null) { // built once per deserialised copy (a task's), shared by its records: never mutated
      List<ObjectNode> built = new ArrayList<>();
      descriptions.forEach((name, description) -> built.add(function(name, description, parse(schemas.get(name)))));
      functions = registered = List.copyOf(built);
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    registered.forEach(list::add);
    Set<String> extra = new TreeSet<>();
    for (String t : called) if (t != null && !isRegistered(t)) extra.add(t);
    for (String t : extra) {
      ObjectNode open = JsonNodeFactory.instance.objectNode();
      open.put("type", "object");
      open.putObject("properties");
      list.add(function(t, "Not in the tool registry.", open));
    }
    return list;
  }

  private static ObjectNode function(String name, String description, JsonNode parameters) {
    ObjectNode tool = JsonNodeFactory.instance.objectNode();
    tool.put("type", "function");
    ObjectNode fn = tool.putObject("function");
    fn.put("name", name);
    fn.put("description", description);
    fn.set("parameters", parameters);
    return tool;
  }

  private Map<String, JsonSchema> compiled() {
    return COMPILED.computeIfAbsent(key, k -> {
      JsonSchemaFactory factory = factory();
      Map<String, JsonSchema> m = new HashMap<>();
      for (Iterator<Map.Entry<String, String>> it = schemas.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, String> e = it.next();
        m.put(e.getKey(), factory.getSchema(parse(e.getValue())));
      }
      return Map.copyOf(m);
    });
  }

  private static JsonSchemaFactory factory() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
