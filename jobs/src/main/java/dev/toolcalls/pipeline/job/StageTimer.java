package dev.toolcalls.pipeline.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * Times the stages of a run and labels the Spark jobs each one starts (visible in the Spark UI).
 * Stages may run on several threads at once (the job description is a thread-local property).
 */
public final class StageTimer {
  private final SparkContext sc;
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  public StageTimer(SparkContext sc) {
    this.sc = sc;
  }

  public <T> T time(String stage, Supplier<T> work) {
    long t0 = System.nanoTime();
    if (sc != null) sc.setJobDescription(stage);
    try {
      return work.get();
    } finally {
      if (sc != null) sc.setJobDescription(null);
      synchronized (seconds) {
        seconds.merge(stage, (System.nanoTime() - t0) / 1e9, Double::sum);
      }
    }
  }

  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public Map<String, Double> seconds() {
    synchronized (seconds) {
      return new LinkedHashMap<>(seconds);
    }
  }
}
