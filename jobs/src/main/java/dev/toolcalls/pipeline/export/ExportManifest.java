package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.schemas.TableNames;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The {@code manifest.json} an export writes next to its datasets, read back by {@code export
 * --as-of-manifest}: the Delta version of every table and every selection option, as resolved
 * (defaults from the configuration filled in), so the two together give the same dataset again.
 */
final class ExportManifest {
  static final String TABLE_VERSIONS = "table_versions";
  static final String OPTIONS = "options";

  /** An earlier export, as its manifest names it: the table versions it read and its options. */
  record AsOf(String file, Map<String, Long> tableVersions, ExportJob.Options options) {}

  private ExportManifest() {}

  /** The {@code options} object of a manifest. */
  static ObjectNode options(ExportJob.Options options, double minQuality, double fraction, Splits.SplitBy splitBy) {
    ObjectNode o = Json.NODES.objectNode();
    o.set("formats", Json.MAPPER.valueToTree(options.formats.stream().map(ExportFormat::folder).toList()));
    o.put("min_quality", minQuality);
    o.set("types", Json.MAPPER.valueToTree(options.types));
    o.set("sources", Json.MAPPER.valueToTree(options.sources));
    o.put("since", options.since);
    o.put("include_negatives", options.includeNegatives);
    o.put("with_reasoning", options.withReasoning);
    o.put("validation_fraction", fraction);
    o.put("split_by", splitBy.label());
    if (options.maxTokens == null) o.putNull("max_tokens");
    else o.put("max_tokens", options.maxTokens);
    return o;
  }

  /**
   * Reads the manifest {@code file} (any Hadoop file system) into the options that rebuild its
   * dataset from {@code lakeDir} into {@code outDir}; a clear {@link BadInputException} when the
   * file is missing, unreadable or not an export manifest.
   */
  static AsOf read(String file, String lakeDir, String outDir, Configuration hadoop) {
    JsonNode m = json(file, hadoop);
    JsonNode versions = m.path(TABLE_VERSIONS);
    JsonNode o = m.path(OPTIONS);
    if (!versions.isObject() || !o.isObject()) throw notAManifest(file, "no " + TABLE_VERSIONS + " and " + OPTIONS + " objects");
    Map<String, Long> tableVersions = new LinkedHashMap<>();
    versions.fields().forEachRemaining(f -> {
      if (!f.getValue().isIntegralNumber() || f.getValue().asLong() < 0) throw notAManifest(file, TABLE_VERSIONS + "." + f.getKey() + " is not a table version");
      tableVersions.put(f.getKey(), f.getValue().asLong());
    });
    if (!tableVersions.containsKey(TableNames.EXAMPLES)) throw notAManifest(file, "it names no " + TableNames.EXAMPLES + " version");
    ExportJob.Options r = new ExportJob.Options();
    r.lakeDir = lakeDir;
    r.outDir = outDir;
    r.formats = EnumSet.noneOf(ExportFormat.class);
    for (String f : strings(file, o, "formats")) {
      try {
        r.formats.add(ExportFormat.parse(f));
      } catch (IllegalArgumentException e) {
        throw notAManifest(file, "options.formats: " + e.getMessage());
      }
    }
    r.minQuality = number(file, o, "min_quality");
    r.types = strings(file, o, "types");
    r.sources = strings(file, o, "sources");
    JsonNode since = field(file, o, "since");
    if (!since.isNull() && !since.isTextual()) throw notAManifest(file, "options.since is neither a date nor null");
    r.since = since.isNull() ? null : since.asText();
    r.includeNegatives = bool(file, o, "include_negatives");
    r.withReasoning = bool(file, o, "with_reasoning");
    r.validationFraction = number(file, o, "validation_fraction");
    JsonNode maxTokens = o.path("max_tokens"); // absent in manifests from before --max-tokens: no limit
    if (!maxTokens.isMissingNode() && !maxTokens.isNull() && !maxTokens.canConvertToInt()) throw notAManifest(file, "options.max_tokens is not a number of tokens");
    r.maxTokens = maxTokens.isMissingNode() || maxTokens.isNull() ? null : maxTokens.asInt();
    // Manifests from before --split-by: the split was a hash of the id (near duplicates now also go together).
    JsonNode splitBy = o.path("split_by");
    if (!splitBy.isMissingNode() && !splitBy.isTextual()) throw notAManifest(file, "options.split_by is not a text");
    try {
      r.splitBy = Splits.SplitBy.parse(splitBy.isMissingNode() ? "id" : splitBy.asText());
    } catch (BadInputException e) {
      throw notAManifest(file, "options." + e.getMessage().substring(2));
    }
    try {
      r.validate();
    } catch (BadInputException e) {
      throw notAManifest(file, e.getMessage());
    }
    return new AsOf(file, tableVersions, r);
  }

  private static JsonNode json(String file, Configuration hadoop) {
    try {
      Path p = new Path(file);
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus st = fs.getFileStatus(p);
      if (st.isDirectory()) throw new BadInputException("--as-of-manifest names a folder, not a manifest: " + file + " (name its manifest.json)");
      try (InputStream in = fs.open(p)) {
        JsonNode n = Json.MAPPER.readTree(in);
        if (n == null || !n.isObject()) throw notAManifest(file, "not a JSON object");
        return n;
      }
    } catch (FileNotFoundException e) {
      throw new BadInputException("manifest not found: " + file);
    } catch (JsonProcessingException e) {
      throw notAManifest(file, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode field(String file, JsonNode options, String name) {
    if (!options.has(name)) throw notAManifest(file, "no options." + name);
    return options.get(name);
  }

  private static double number(String file, JsonNode options, String name) {
    JsonNode n = field(file, options, name);
    if (!n.isNumber()) throw notAManifest(file, "options." + name + " is not a number");
    return n.asDouble();
  }

  private static boolean bool(String file, JsonNode options, String name) {
    JsonNode n = field(file, options, name);
    if (!n.isBoolean()) throw notAManifest(file, "options." + name + " is not true or false");
    return n.asBoolean();
  }

  private static List<String> strings(String file, JsonNode options, String name) {
    JsonNode n = field(file, options, name);
    if (!n.isArray()) throw notAManifest(file, "options." + name + " is not a list");
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) throw notAManifest(file, "options." + name + " holds a value that is not a string");
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  private static BadInputException notAManifest(String file, String why) {
    return new BadInputException(file + " is not an export manifest: " + why);
  }
}
