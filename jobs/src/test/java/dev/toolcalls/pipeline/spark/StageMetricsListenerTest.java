package dev.toolcalls.pipeline.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's stage table: task metrics summed under the job description a run sets. */
class StageMetricsListenerTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void sumsTheStagesOfALabelledJobAndWritesThemWithThePeakHeap() throws Exception {
    Path file = tmp.resolve("metrics.json");
    StageMetricsListener listener = new StageMetricsListener(new SparkConf(false).set(StageMetricsListener.FILE_SETTING, file.toString()));
    spark.sparkContext().addSparkListener(listener);
    try {
      spark.sparkContext().setJobDescription("count squares");
      assertEquals(1000L, spark.range(0, 1000, 1, 3).selectExpr("id * id AS sq").count());
      spark.sparkContext().setJobDescription(null);
      spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    listener.onApplicationEnd(new SparkListenerApplicationEnd(System.currentTimeMillis()));

    JsonNode m = new ObjectMapper().readTree(file.toFile());
    JsonNode label = m.path("stages").path("count squares");
    assertTrue(label.path("stages").asLong() >= 1, m.toString());
    assertTrue(label.path("tasks").asLong() >= 3, "the three range partitions are tasks: " + m);
    assertTrue(label.path("executorRunMs").asLong() >= 0 && label.path("executorCpuMs").asLong() >= 0, m.toString());
    assertTrue(m.path("driver_peak_heap_bytes").asLong() > 0, m.toString());
  }
}
