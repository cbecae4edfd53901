package dev.toolcalls.pipeline.source.discord;

import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.StreamedFile;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.schemas.Sources;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;

/** The first pass, one task per file: opens it through Hadoop's FileSystem and streams it once. */
public final class DiscordReadFunction implements FlatMapFunction<InputFile, ExtractRecord> {
  private static final long serialVersionUID = 1L;
  private final DiscordSettings settings;
  private final HadoopConf hadoopConf;

  public DiscordReadFunction(DiscordSettings settings, HadoopConf hadoopConf) {
    this.settings = settings;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<ExtractRecord> call(InputFile file) {
    FileReport report = new FileReport(Sources.DISCORD, file);
    return StreamedFile.read(file, report, hadoopConf, in -> new DiscordFileReader(in, report, settings));
  }
}
