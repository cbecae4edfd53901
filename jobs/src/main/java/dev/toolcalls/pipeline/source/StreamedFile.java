package dev.toolcalls.pipeline.source;

import dev.toolcalls.pipeline.spark.HadoopConf;
import dev.toolcalls.pipeline.util.Closeables;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Opens an input file of a streamed source (daily logs, session transcripts) for its one task:
 * through Hadoop's FileSystem, decompressed when it is a {@code .gz}, its stored bytes hashed on the
 * way (see ContentHash), and closed when the task ends even if the reader is not drained. A file
 * that cannot be opened gives only its report, with the error.
 */
public final class StreamedFile {
  private StreamedFile() {}

  public static Iterator<ExtractRecord> read(InputFile file, FileReport report, HadoopConf hadoopConf, Function<InputStream, Iterator<ExtractRecord>> reader) {
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
    InputStream opened = in;
    TaskContext task = TaskContext.get();
    if (task != null) task.addTaskCompletionListener((TaskCompletionListener) context -> Closeables.closeQuietly(opened));
    return ContentHash.recordedOn(reader.apply(in), raw);
  }
}
