package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.enrich.CandidateRules;
import dev.toolcalls.pipeline.enrich.EnrichApplyJob;
import dev.toolcalls.pipeline.enrich.EnrichCandidatesJob;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.enrich.LegacyImportJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.rules.Rules;
import dev.toolcalls.pipeline.spark.SparkSessions;
import dev.toolcalls.schemas.TableNames;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code enrich <action>}: the review loop around the {@code enrichments} table. */
@Command(
    name = "enrich",
    mixinStandardHelpOptions = true,
    description = {
      "The review loop: reviews (by a person or an LLM) live in the enrichments Delta table, merged by example id, so no re-parse ever loses them.",
      "candidates -> fill in the file -> apply; import-legacy for the older scripts' enriched files; orphans lists reviews whose example is gone."
    },
    subcommands = {
      EnrichCommand.Candidates.class,
      EnrichCommand.Apply.class,
      EnrichCommand.ImportLegacy.class,
      EnrichCommand.Orphans.class,
      CommandLine.HelpCommand.class
    })
public final class EnrichCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "candidates", mixinStandardHelpOptions = true,
      description = "Writes the examples worth reviewing (errors, failure words, low quality, retried or repeated commands, fewer actions than asked) as JSONL, each with the whole example and the fields a review fills.")
  static final class Candidates implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
    String lake;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "JSONL file to write (replaced).")
    Path out;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Only examples of this day.")
    String date;

    @Option(names = "--limit", paramLabel = "N", description = "At most N examples (the earliest first).")
    Integer limit;

    @Option(names = "--include-reviewed", description = "Also examples that already have a review.")
    boolean includeReviewed;

    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() {
      EnrichCandidatesJob.Options o = new EnrichCandidatesJob.Options();
      o.lakeDir = lake;
      o.out = out;
      o.date = date == null ? null : ExtractCommand.day(date, "--date");
      o.limit = limit;
      o.includeReviewed = includeReviewed;
      o.validate();
      PipelineConfig config = configOptions.load();
      CandidateRules rules = CandidateRules.from(config, Rules.from(config));
      SparkSession spark = SparkSessions.getOrCreate(config, "pipeline enrich candidates");
      System.out.print(new EnrichCandidatesJob(spark, rules, o).execute().toText());
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = {
        "MERGEs a reviewed JSONL file into enrichments, in one Delta transaction: all of it, or nothing when a line is bad (its line number is printed).",
        "A line: {\"id\": EXAMPLE_ID, \"example_type\": \"negative\", \"reasoning\": ..., \"problem\": ..., \"root_cause\": ..., \"quality_score\": 0..1, \"tags_add\": [...], \"tags_remove\": [...], \"reviewer\": ..., \"reviewed_at\": ISO, \"note\": ...};",
        "a new example: {\"derived_from\": [IDS], \"example_type\": \"reasoning_chain\"|\"code_correction\", ...}. The later reviewed_at wins; applying the same file twice changes nothing."
      })
  static final class Apply implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
    String lake;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "Reviewed JSONL file.")
    String file;

    @Option(names = "--reviewer", paramLabel = "NAME", description = "Reviewer for lines that name none (default: your user name).")
    String reviewer;

    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() {
      EnrichApplyJob.Options o = new EnrichApplyJob.Options();
      o.lakeDir = lake;
      o.file = file;
      if (reviewer != null) o.reviewer = reviewer;
      o.validate();
      PipelineConfig config = configOptions.load();
      SparkSession spark = SparkSessions.getOrCreate(config, "pipeline enrich apply");
      System.out.print(new EnrichApplyJob(spark, o).execute().toText());
      return 0;
    }
  }

  @Command(name = "import-legacy", mixinStandardHelpOptions = true,
      description = "Imports an enriched extraction file of the older scripts: each line matched to its example by day, user message and game actions; reports matched, ambiguous and unmatched lines; lessons become new examples.")
  static final class ImportLegacy implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
    String lake;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The older scripts' enriched JSONL file.")
    String file;

    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() {
      LegacyImportJob.Options o = new LegacyImportJob.Options();
      o.lakeDir = lake;
      o.file = file;
      o.validate();
      PipelineConfig config = configOptions.load();
      Rules rules = Rules.from(config);
      SparkSession spark = SparkSessions.getOrCreate(config, "pipeline enrich import-legacy");
      System.out.print(new LegacyImportJob(spark, rules, o).execute().toText());
      return 0;
    }
  }

  @Command(name = "orphans", mixinStandardHelpOptions = true,
      description = "Lists the reviews whose example no longer exists (a re-parse dropped it). They are kept, never deleted.")
  static final class Orphans implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
    String lake;

    @Mixin ConfigOptions configOptions;

    @Override
    public Integer call() {
      PipelineConfig config = configOptions.load();
      SparkSession spark = SparkSessions.getOrCreate(config, "pipeline enrich orphans");
      Lake l = new Lake(spark, lake);
      l.require(TableNames.EXAMPLES);
      if (!l.exists(TableNames.ENRICHMENTS)) {
        System.out.println("0 orphaned reviews (no enrichments yet)");
        return 0;
      }
      long n = 0;
      Iterator<String> it = Enrichments.orphans(l).select("id", "reviewer", "reviewed_at", "example_type", "note").orderBy("id").toJSON().toLocalIterator();
      while (it.hasNext()) {
        System.out.println(it.next());
        n++;
      }
      System.out.println(n + " orphaned reviews");
      return 0;
    }
  }
}
