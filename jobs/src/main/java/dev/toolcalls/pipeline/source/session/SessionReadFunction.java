package dev.toolcalls.pipeline.source.session;

import dev.toolcalls.pipeline.source.ContentHash;
import dev.toolcalls.pipeline.source.ExtractRecord;
import dev.toolcalls.pipeline.util.Closeables;
import dev.toolcalls.pipeline.source.FileReport;
import dev.toolcalls.pipeline.source.InputFile;
import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.schemas.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
    ContentHash.HashingStream raw = null;
    InputStream in;
    try {
      Path path = new Path(file.uri);
      FileSystem fs = path.getFileSystem(hadoopConf.get());
      raw = ContentHash.wrap(fs.open(path, 1 << 20));
      in = file.gzipped() ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (IOException e) {
      Closeables.closeQuietly(raw); // an empty or non-gzip .gz fails in the constructor, after the open
      report.error = e.getClass().getSimpleName() + ": " + e.getMessage();
      return Collections.singletonList(ExtractRecord.report(report)).iterator();
    }
    // A task that fails or is cancelled before draining the iterator still closes its stream.
    InputStream opened = in;
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> Closeables.closeQuietly(opened));
    return ContentHash.recordedOn(new SessionFileReader(in, report, settings), raw);
  }

}
