package dev.toolcalls.pipeline.cli;

import static dev.toolcalls.pipeline.testing.TestFiles.settled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.serve.SqlServer;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve-sql as an analyst's tool sees it: the Thrift server on the test JVM's SparkContext, queried
 * through the Hive JDBC driver (what beeline and DBeaver use), then stopped.
 */
class ServeSqlTest extends SparkTestBase {
  @TempDir Path tmp;

  static String day(String date, String rid, String message) {
    return new LogLines().request(rid, date + "T10:00:00.000000", message, "main").command(rid, date + "T10:00:01.000000", "BANK_OPEN")
        .response(rid, date + "T10:00:02.000000", "Opened.").text();
  }

  void extract(Path logs, Path lake) {
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.lakeDir = lake.toString();
    new ExtractJob(spark, PipelineConfig.defaults(), o).execute();
  }

  static List<String> column(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void tablesAndTheViewAnswerOverJdbcTimeTravelWorksAndWritesAreRefused() throws Exception {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("conversations_2026-01-01.jsonl"), day("2026-01-01", "1000000001", "day 1"));
    Files.writeString(logs.resolve("conversations_2026-01-02.jsonl"), day("2026-01-02", "1000000002", "day 2"));
    settled(logs);
    Path lakeDir = tmp.resolve("lake");
    extract(logs, lakeDir);
    Lake lake = new Lake(spark, lakeDir.toString());
    // version 1 without day 2, for time travel (a commit of its own, cheaper than a second extract)
    spark.sql("DELETE FROM delta.`" + lake.path(TableNames.EXAMPLES) + "` WHERE user_message = 'day 2'");
    long version = lake.version(TableNames.EXAMPLES);
    assertEquals(1, version);

    int port = freePort();
    try (SqlServer server = SqlServer.start(spark, lakeDir.toString(), "127.0.0.1", port)) {
      assertEquals("jdbc:hive2://127.0.0.1:" + port + "/default", server.jdbcUrl());
      Class.forName("org.apache.hive.jdbc.HiveDriver");
      try (Connection c = DriverManager.getConnection(server.jdbcUrl(), System.getProperty("user.name"), "");
           Statement st = c.createStatement()) {
        // The lake has an identities table (raw Discord ids and names): serve-sql never registers it.
        assertTrue(lake.exists(TableNames.IDENTITIES));
        assertEquals(List.of("examples", "quarantine", "ingest_log", "training_examples"), server.tables());
        st.execute("SET spark.sql.shuffle.partitions=2"); // session settings are not writes
        List<String> listed = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, "default", "%", null)) { // what DBeaver's navigator asks
          while (rs.next()) listed.add(rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE"));
        }
        assertEquals(List.of("examples TABLE", "ingest_log TABLE", "quarantine TABLE", "training_examples VIEW"), listed.stream().sorted().toList());
        assertEquals(List.of("day 1|BANK_OPEN|Opened."),
            column(st, "SELECT concat_ws('|', user_message, get_json_object(tool_calls[0].arguments, '$.command'), response_text) FROM examples ORDER BY user_message"));
        assertEquals(List.of("1 0"), column(st, "SELECT concat(count(*), ' ', count_if(reviewed)) FROM training_examples"));
        assertEquals(List.of("day 1", "day 2"), column(st, "SELECT user_message FROM examples VERSION AS OF 0 ORDER BY user_message"));

        SQLException insert = assertThrows(SQLException.class, () -> st.execute("INSERT INTO examples SELECT * FROM examples"));
        assertTrue(insert.getMessage().contains("serve-sql is read-only: AppendData refused"), insert.getMessage());
        SQLException delete = assertThrows(SQLException.class, () -> st.execute("DELETE FROM examples WHERE user_message = 'day 1'"));
        assertTrue(delete.getMessage().contains("serve-sql is read-only"), delete.getMessage());
        SQLException drop = assertThrows(SQLException.class, () -> st.execute("DROP TABLE examples"));
        assertTrue(drop.getMessage().contains("serve-sql is read-only: DropTable"), drop.getMessage());
        for (String write : List.of("UPDATE examples SET quality_score = 0", "MERGE INTO examples t USING examples s ON t.id = s.id WHEN MATCHED THEN DELETE",
            "CREATE TABLE copy USING delta AS SELECT * FROM examples", "OPTIMIZE examples", "VACUUM examples")) {
          SQLException e = assertThrows(SQLException.class, () -> st.execute(write), write);
          assertTrue(e.getMessage().contains("serve-sql is read-only"), write + ": " + e.getMessage());
        }
        assertEquals(List.of("1"), column(st, "SELECT count(*) FROM examples"));
        assertEquals(version, lake.version(TableNames.EXAMPLES), "no commit reached the lake");
        assertEquals(List.of("1", "0"), column(st, "DESCRIBE HISTORY examples"));

        // a run that commits while the server is up is seen by the next query
        spark.sql("DELETE FROM delta.`" + lake.path(TableNames.EXAMPLES) + "` WHERE user_message = 'day 1'");
        assertEquals(List.of("0"), column(st, "SELECT count(*) FROM examples"));
      }
      // a second client, in a session of its own, still sees the view
      try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement st = c.createStatement()) {
        assertEquals(List.of("0 2"), column(st, "SELECT concat(count(*), ' ', (SELECT count(*) FROM examples VERSION AS OF 0)) FROM training_examples"));
      }
    }
    assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:hive2://127.0.0.1:" + port + "/default").close(), "stopped");
  }

  @Test
  void aMissingLakeOrAPortInUseIsExitTwo() throws IOException {
    PipelineCliTest.Run missing = PipelineCliTest.run("serve-sql", "--lake", tmp.resolve("nothing").toString(), "--port", String.valueOf(freePort()));
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("no tables in lake"), missing.err());
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      PipelineCliTest.Run inUse = PipelineCliTest.run("serve-sql", "--lake", tmp.toString(), "--port", String.valueOf(busy.getLocalPort()));
      assertEquals(2, inUse.code(), inUse.err());
      assertTrue(inUse.err().contains("cannot listen on 127.0.0.1:" + busy.getLocalPort()), inUse.err());
    }
  }
}
