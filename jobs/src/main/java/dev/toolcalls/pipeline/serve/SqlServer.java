package dev.toolcalls.pipeline.serve;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.enrich.Enrichments;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import scala.Option;

/**
 * The lake over JDBC/ODBC: Spark's Thrift server (HiveServer2's protocol) in this JVM, on the
 * running SparkContext, with every lake table and {@code training_examples} registered by name.
 *
 * <p>The server gets a session of its own (same SparkContext, its own catalog) built with the
 * {@link ReadOnlySql} extension, because extensions are fixed when a session is built and the
 * command's (or the tests') session has none. No Hive metastore: the catalog is Spark's in-memory
 * one, filled from the lake at start; the Thrift server's own Hive client keeps its scratch
 * metastore in an in-memory Derby. Each JDBC connection gets a new session of the server's, which
 * sees the catalog but not temp views, so {@code training_examples} is a catalog view here.
 */
public final class SqlServer implements AutoCloseable {
  private final HiveThriftServer2 server;
  private final String host;
  private final int port;
  private final List<String> tables;

  private SqlServer(HiveThriftServer2 server, String host, int port, List<String> tables) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.tables = tables;
  }

  /** Starts the server on {@code host:port} over the lake's tables; returns once it accepts connections. */
  public static SqlServer start(SparkSession running, String lakeDir, String host, int port) {
    requireFreePort(host, port);
    ReadOnlySql readOnly = new ReadOnlySql();
    SparkSession session = serverSession(running, readOnly);
    List<String> tables = new Lake(session, lakeDir).registerTables();
    if (tables.isEmpty()) throw new BadInputException("no tables in lake " + lakeDir + " (run extract first)");
    if (tables.contains(TableNames.EXAMPLES)) {
      String query = Enrichments.trainingViewQuery(TableNames.EXAMPLES, tables.contains(TableNames.ENRICHMENTS) ? TableNames.ENRICHMENTS : null);
      session.sql("CREATE OR REPLACE VIEW " + TableNames.TRAINING_EXAMPLES + " AS " + query);
      tables = new java.util.ArrayList<>(tables);
      tables.add(TableNames.TRAINING_EXAMPLES);
    }
    readOnly.lock();
    // Read from the session's Hadoop conf when the server starts (a hive-site.xml would be too).
    session.conf().set("hive.server2.thrift.bind.host", host);
    session.conf().set("hive.server2.thrift.port", String.valueOf(port));
    session.conf().set("hive.server2.transport.mode", "binary");
    quietDerby();
    // The server's Hive client reuses the Hive SessionState attached to this thread, and with it
    // the host and port of an earlier server started from the same thread (a second server in one
    // JVM, as the tests do, would listen on the first one's port): start from none.
    org.apache.hadoop.hive.ql.session.SessionState.detachSession();
    HiveThriftServer2 server = HiveThriftServer2.startWithContext(session.sqlContext());
    SqlServer s = new SqlServer(server, host, port, List.copyOf(tables));
    s.awaitListening(30_000);
    return s;
  }

  /** The URL clients use; listening on every address (0.0.0.0), they reach it by the machine's name. */
  public String jdbcUrl() {
    String name = host;
    try {
      if (InetAddress.getByName(host).isAnyLocalAddress()) name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // keep the address as given
    }
    return "jdbc:hive2://" + (name.contains(":") ? "[" + name + "]" : name) + ":" + port + "/default";
  }

  /** The names clients can query: the lake's tables and the view. */
  public List<String> tables() {
    return tables;
  }

  @Override
  public void close() {
    server.stop(); // the server only: the SparkContext is the caller's
  }

  /**
   * A new session on the running SparkContext with {@code readOnly} among its extensions (Delta's
   * come from spark.sql.extensions as usual). The builder returns the active or default session
   * when there is one, so both are set aside for the call and put back after; its
   * {@code sparkContext(sc)} (Scala package-private, so reachable from Java) hands it the running
   * context directly, without SparkContext.getOrCreate's "existing SparkContext" warning.
   */
  private static SparkSession serverSession(SparkSession running, ReadOnlySql readOnly) {
    synchronized (SparkSession.class) {
      Option<SparkSession> active = SparkSession.getActiveSession();
      Option<SparkSession> fallback = SparkSession.getDefaultSession();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
      try {
        return SparkSession.builder().sparkContext(running.sparkContext()).withExtensions(readOnly).getOrCreate();
      } finally {
        if (fallback.isDefined()) SparkSession.setDefaultSession(fallback.get()); else SparkSession.clearDefaultSession();
        if (active.isDefined()) SparkSession.setActiveSession(active.get()); else SparkSession.clearActiveSession();
      }
    }
  }

  /** The scratch metastore's Derby would write derby.log into the user's current folder. */
  private static void quietDerby() {
    if (System.getProperty("derby.stream.error.file") != null) return;
    try {
      Path log = Files.createTempFile("serve-sql-derby", ".log");
      log.toFile().deleteOnExit();
      System.setProperty("derby.stream.error.file", log.toString());
    } catch (IOException e) {
      // derby.log in the current folder, then: untidy, not wrong
    }
  }

  /** A clear exit 2 before Spark starts anything, rather than a Thrift stack trace from a background thread. */
  private static void requireFreePort(String host, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new BadInputException("unknown --host " + host);
    }
    if (port < 1 || port > 65535) throw new BadInputException("--port must be 1..65535, not " + port);
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new BadInputException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): is another server using the port? choose one with --port");
    }
  }

  /** The Thrift service binds in a thread of its own; clients are told the URL only once it answers. */
  private void awaitListening(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    InetSocketAddress probe = new InetSocketAddress(host, port);
    if (probe.getAddress() != null && probe.getAddress().isAnyLocalAddress()) probe = new InetSocketAddress(InetAddress.getLoopbackAddress(), port); // 0.0.0.0 is no address to connect to
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(probe, 1000);
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          close();
          throw new IllegalStateException("the Thrift server did not start listening on " + host + ":" + port + " within " + timeoutMillis / 1000 + " s", e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the Thrift server started", ie);
        }
      }
    }
  }
}
