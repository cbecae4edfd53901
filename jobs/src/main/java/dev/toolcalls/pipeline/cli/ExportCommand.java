package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.export.ExportFormat;
import dev.toolcalls.pipeline.export.ExportJob;
import dev.toolcalls.pipeline.export.Splits;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the training datasets from training_examples (reviews applied): unified JSONL, ChatML, Axolotl (alpaca) and OpenAI-style tool-calling chat,",
      "as <out>/<format>/split=<train|validation>/source=<source>/part-00000.<ext>, with <out>/manifest.json. Exact duplicates are written once;",
      "the split is by a hash of the id; the same table versions and options give byte-identical files:",
      "--as-of-manifest rebuilds an earlier export from the table versions and options its manifest names."
    })
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (each format folder in it is replaced).")
  String out;

  @Option(names = "--format", paramLabel = "F", split = ",", description = "Formats to write: unified, chatml, axolotl, openai (default: all).")
  List<String> formats;

  @Option(names = "--min-quality", paramLabel = "Q", description = "Leave out examples scoring below Q (default: conf export.min_quality).")
  Double minQuality;

  @Option(names = "--types", paramLabel = "T", split = ",", description = "Only these example types.")
  List<String> types = List.of();

  @Option(names = "--sources", paramLabel = "S", split = ",", description = "Only these sources (discord, journal, claude_session, review).")
  List<String> sources = List.of();

  @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "Only examples of this day and later.")
  String since;

  @Option(names = "--include-negatives", description = "Also negative examples, rendered as \"what NOT to do\" notes (left out by default).")
  boolean includeNegatives;

  @Option(names = "--with-reasoning", description = "Add the reasoning as <thinking> sections (ChatML, Axolotl) or assistant content (OpenAI).")
  boolean withReasoning;

  @Option(names = "--validation-fraction", paramLabel = "F", description = "Share of examples in the validation split (default: conf export.validation_fraction).")
  Double validationFraction;

  @Option(names = "--split-by", paramLabel = "KEY",
      description = "What stays in one split: id, session (default: a Discord account's day, a Claude session, a journal file), user (user_key) or day; near duplicates (same user message and tools) also stay together.")
  String splitBy;

  @Option(names = "--max-tokens", paramLabel = "N", description = "Leave out (and count) examples with more than N tokens (examples.tokens.total, conf tokens.encoding).")
  Integer maxTokens;

  @Option(names = "--as-of-manifest", paramLabel = "FILE",
      description = "Rebuild the dataset of an earlier export byte for byte: every table read at the version its manifest.json names, every selection option taken from it (only --lake and --out may be given).")
  String asOfManifest;

  /** The options an --as-of-manifest export takes from the manifest. */
  static final List<String> SELECTION = List.of("--format", "--min-quality", "--types", "--sources", "--since", "--include-negatives", "--with-reasoning", "--validation-fraction", "--split-by", "--max-tokens");

  @Mixin ConfigOptions configOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (asOfManifest != null) {
      // what was typed, not the values: "--format unified,chatml,axolotl,openai" equals the default
      List<String> given = SELECTION.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
      if (!given.isEmpty()) throw ExportJob.Options.fixedByManifest(given);
    }
    ExportJob.Options o = new ExportJob.Options();
    o.lakeDir = lake;
    o.outDir = out;
    o.asOfManifest = asOfManifest;
    if (formats != null) {
      o.formats = EnumSet.noneOf(ExportFormat.class);
      for (String f : formats) {
        try {
          o.formats.add(ExportFormat.parse(f));
        } catch (IllegalArgumentException e) {
          throw new BadInputException(e.getMessage());
        }
      }
    }
    o.minQuality = minQuality;
    o.types = types;
    o.sources = sources;
    o.since = since;
    o.includeNegatives = includeNegatives;
    o.withReasoning = withReasoning;
    o.validationFraction = validationFraction;
    o.splitBy = splitBy == null ? null : Splits.SplitBy.parse(splitBy);
    o.maxTokens = maxTokens;
    o.validate();
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline export");
    System.out.print(new ExportJob(spark, config, o).execute().toText());
    return 0;
  }
}
