package dev.toolcalls.pipeline.source.session;

import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.source.StreamedFile;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.schemas.Sources;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;

/** The session source's pass, one task per transcript: opens it through Hadoop's FileSystem and streams it once. */
public final class SessionReadFunction implements FlatMapFunction<InputFile, ExtractRecord> {
  private static final long serialVersionUID = 1L;
  private final SessionSettings settings;
  private final HadoopConf hadoopConf;

  public SessionReadFunction(SessionSettings settings, HadoopConf hadoopConf) {
    this.settings = settings;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public Iterator<ExtractRecord> call(InputFile file) {
    FileReport report = new FileReport(Sources.CLAUDE_SESSION, file);
    return StreamedFile.read(file, report, hadoopConf, in -> new SessionFileReader(in, report, settings));
  }
}
