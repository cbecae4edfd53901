package dev.toolcalls.pipeline.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  /**
   * Runs the stages side by side, each timed under its name: each in a thread of this call's own,
   * which inherits the caller's Spark job group (a pooled one would not), the last in the calling
   * thread. Every stage is waited for, whatever it throws, so none is still running when the caller
   * goes on (a run unlocks the lake after its writes); the first failure is thrown, the others
   * added to it as suppressed.
   */
  public void timeSideBySide(Map<String, Runnable> stages) {
    List<Map.Entry<String, Runnable>> all = new ArrayList<>(stages.entrySet());
    if (all.isEmpty()) return;
    ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, all.size() - 1));
    try {
      List<CompletableFuture<Void>> started = new ArrayList<>();
      // Throwable: Scala code throws checked exceptions (Delta's AnalysisException) and Errors too;
      // a thread that cannot be started stops the rest, but those started are still waited for.
      Throwable failure = null;
      try {
        for (Map.Entry<String, Runnable> w : all.subList(0, all.size() - 1)) started.add(CompletableFuture.runAsync(() -> time(w.getKey(), w.getValue()), threads));
        Map.Entry<String, Runnable> last = all.get(all.size() - 1);
        time(last.getKey(), last.getValue());
      } catch (Throwable e) {
        failure = e;
      }
      for (CompletableFuture<Void> w : started) {
        try {
          w.join();
        } catch (CompletionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (failure == null) failure = cause;
          else failure.addSuppressed(cause);
        }
      }
      if (failure != null) throwUnchecked(failure);
    } finally {
      threads.shutdown();
    }
  }

  /** Rethrows as it was (checked ones included, as Scala code throws them), so exit codes stay right. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
    throw (T) t;
  }

  public Map<String, Double> seconds() {
    synchronized (seconds) {
      return new LinkedHashMap<>(seconds);
    }
  }
}
