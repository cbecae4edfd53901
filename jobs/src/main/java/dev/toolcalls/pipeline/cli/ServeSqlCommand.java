package dev.toolcalls.pipeline.cli;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.serve.SqlServer;
import dev.toolcalls.pipeline.spark.SparkSessions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve-sql",
    mixinStandardHelpOptions = true,
    description = "Serves the lake's tables and the training_examples view, read-only, over JDBC/ODBC (Spark's Thrift server: beeline, DBeaver, Superset, Tableau) until Ctrl-C.")
public final class ServeSqlCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake folder.")
  String lake;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "10000", description = "TCP port (default 10000, HiveServer2's).")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network, with no authentication).")
  String host;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws InterruptedException {
    PipelineConfig config = configOptions.load();
    SparkSession spark = SparkSessions.getOrCreate(config, "pipeline serve-sql");
    SqlServer server = SqlServer.start(spark, lake, host, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "serve-sql-stop"));
    System.out.println("serving " + String.join(", ", server.tables()) + " (read-only)");
    System.out.println("JDBC URL: " + server.jdbcUrl() + "   (no user or password)");
    System.out.println("beeline -u '" + server.jdbcUrl() + "' -e 'SELECT source, count(*) FROM examples GROUP BY source'");
    System.out.println("Ctrl-C stops the server.");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
