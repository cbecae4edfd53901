package dev.toolcalls.pipeline.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Where a run's time goes, from Spark's own task metrics: every completed stage's executor run
 * time, CPU time, GC time and bytes, summed per label (the job description the run's {@link
 * dev.toolcalls.pipeline.job.StageTimer} or Delta set, else the stage name), plus the driver
 * JVM's peak heap, written as JSON to {@value #FILE_SETTING} when the application ends. Turned on
 * with {@code spark.extraListeners} (see {@code bench --scale}); the jobs themselves know nothing
 * of it. In local mode the driver JVM holds the executors too, so its peak heap is theirs as well.
 */
public final class StageMetricsListener extends SparkListener {
  public static final String FILE_SETTING = "spark.toolcalls.stageMetrics.file";

  /** One label's sums. Times in milliseconds. */
  public static final class Sums {
    public long stages, tasks, wallMs, executorRunMs, executorCpuMs, gcMs, inputBytes, outputBytes, shuffleReadBytes, shuffleWriteBytes, spillBytes;
  }

  private final String file;
  private final Map<Integer, String> labelOfStage = new ConcurrentHashMap<>();
  private final Map<String, Sums> byLabel = new LinkedHashMap<>();
  private volatile long appStart = -1;

  public StageMetricsListener(SparkConf conf) {
    this.file = conf.get(FILE_SETTING, null);
  }

  @Override
  public void onApplicationStart(SparkListenerApplicationStart start) {
    appStart = start.time();
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String label = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
    for (Object id : scala.collection.JavaConverters.seqAsJavaList(job.stageIds())) {
      if (label != null) labelOfStage.put((Integer) id, label);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo s = completed.stageInfo();
    String label = labelOfStage.getOrDefault(s.stageId(), s.name().replaceAll(" at .*", ""));
    TaskMetrics m = s.taskMetrics();
    synchronized (byLabel) {
      Sums sum = byLabel.computeIfAbsent(label, k -> new Sums());
      sum.stages++;
      sum.tasks += s.numTasks();
      if (s.submissionTime().isDefined() && s.completionTime().isDefined()) sum.wallMs += (Long) s.completionTime().get() - (Long) s.submissionTime().get();
      if (m == null) return;
      sum.executorRunMs += m.executorRunTime();
      sum.executorCpuMs += m.executorCpuTime() / 1_000_000;
      sum.gcMs += m.jvmGCTime();
      sum.inputBytes += m.inputMetrics().bytesRead();
      sum.outputBytes += m.outputMetrics().bytesWritten();
      sum.shuffleReadBytes += m.shuffleReadMetrics().totalBytesRead();
      sum.shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
      sum.spillBytes += m.diskBytesSpilled();
    }
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    if (file == null) return;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_ms", appStart < 0 ? null : end.time() - appStart);
    out.put("driver_peak_heap_bytes", peakHeapBytes());
    out.put("driver_max_heap_bytes", Runtime.getRuntime().maxMemory());
    synchronized (byLabel) {
      out.put("stages", new LinkedHashMap<>(byLabel));
    }
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(new File(file), out);
    } catch (IOException e) {
      System.err.println("stage metrics: cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The sum of the heap pools' peaks since the JVM started: an upper bound of the peak heap in use. */
  public static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) peak += p.getPeakUsage().getUsed();
    }
    return peak;
  }
}
