package dev.toolcalls.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolcalls.pipeline.config.PipelineConfig;
import dev.toolcalls.pipeline.export.ExportJob;
import dev.toolcalls.pipeline.job.ExtractJob;
import dev.toolcalls.pipeline.job.ForgetJob;
import dev.toolcalls.pipeline.lake.Lake;
import dev.toolcalls.pipeline.source.discord.LogLines;
import dev.toolcalls.pipeline.stats.StatsJob;
import dev.toolcalls.schemas.TableNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.toolcalls.pipeline.testing.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log with planted Discord ids, names, mentions and one value of every secret type, and a
 * Claude session under a home folder: extract, stats and export (every format), then every byte of
 * every exported file and every row of every statistics table is searched for each planted value.
 * Pseudonyms agree between two lakes made with the same key and differ with another key; forget
 * removes one person from every table.
 */
class PrivacyEndToEndTest extends SparkTestBase {
  @TempDir static Path tmp;
  static final String ID_A = "391354168675139594", NAME_A = "astron6695";
  static final String ID_B = "287654321098765432", NAME_B = "quietmoose_77";
  static final String HOME = "janedoe";
  static final String KEY = "end-to-end-key-0123456789abcdef0123456789abcdef";
  static Path logs, sessions, lakeA, out;
  static Map<String, Object> extracted;

  /** Every value that must never leave the lake: ids, names, the home folder's user, each secret. */
  static Map<String, String> planted() {
    Map<String, String> p = new LinkedHashMap<>(RedactorTest.PLANTED);
    p.put("user id A", ID_A);
    p.put("user id B", ID_B);
    p.put("username A", NAME_A);
    p.put("username B", NAME_B);
    p.put("home folder user", HOME);
    return p;
  }

  @BeforeAll
  static void extractStatsExport() throws IOException {
    Map<String, String> s = RedactorTest.PLANTED;
    logs = Files.createDirectories(tmp.resolve("logs"));
    LogLines day = new LogLines()
        .raw(request("1000000000", "2026-01-20T10:00:00.000000", ID_A, NAME_A, "Go to the bank, my mail is " + s.get("email") + " and ask <@" + ID_B + ">"))
        .tool("1000000000", "2026-01-20T10:00:01.000000", "send_command", "{\"command\": \"SAY token " + s.get("discord_token") + " key " + s.get("openai_key") + "\"}",
            "{\"success\": true, \"server\": \"" + s.get("ipv4") + "\", \"jwt\": \"" + s.get("jwt") + "\"}")
        .response("1000000000", "2026-01-20T10:00:02.000000", "Done, @" + NAME_A + "; db at postgres://bot:" + s.get("url_password") + "@db.example.net/x")
        .raw(request("1001000000", "2026-01-20T10:10:00.000000", ID_B, NAME_B, "Use " + s.get("anthropic_key") + " and " + s.get("github_token") + ", thanks @" + NAME_A))
        .tool("1001000000", "2026-01-20T10:10:01.000000", "get_game_state", "{\"aws\": \"" + s.get("aws_access_key") + "\", \"aws_secret_access_key\": \"" + s.get("aws_secret_key") + "\"}",
            "{\"success\": true, \"state\": {\"location\": {\"x\": 3200, \"y\": 3200, \"plane\": 0}, \"note\": \"ping <@!" + ID_A + ">\"}}")
        .response("1001000000", "2026-01-20T10:10:02.000000", "Walking, @" + NAME_B + ".")
        // A request of A's that never got an answer: quarantined, raw line and all.
        .raw(request("1002000000", "2026-01-20T10:20:00.000000", ID_A, NAME_A, "Are you there?"));
    Path log = Files.writeString(logs.resolve("conversations_2026-01-20.jsonl"), day.text());
    // Written long ago (not a file still being written): the unanswered request is quarantined.
    Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
    sessions = Files.createDirectories(tmp.resolve("projects/-home-" + HOME + "-bot"));
    Files.writeString(sessions.resolve("0b1c2d3e-0000-4000-8000-000000000001.jsonl"), sessionTranscript());
    out = tmp.resolve("datasets");
    lakeA = tmp.resolve("lake-a");
    PipelineConfig config = config(KEY);
    extract(config, lakeA);
    StatsJob.Options st = new StatsJob.Options();
    st.lakeDir = lakeA.toString();
    new StatsJob(spark, config, st).execute();
    ExportJob.Options ex = new ExportJob.Options();
    ex.lakeDir = lakeA.toString();
    ex.outDir = out.toString();
    ex.minQuality = 0.0;
    ex.includeNegatives = true;
    ex.withReasoning = true;
    extracted = Map.of("export", new ExportJob(spark, config, ex).execute());
  }

  static String request(String rid, String ts, String userId, String username, String message) {
    return "{\"type\": \"request\", \"request_id\": " + LogLines.q(rid) + ", \"timestamp\": " + LogLines.q(ts) + ", \"user_id\": " + userId
        + ", \"username\": " + LogLines.q(username) + ", \"message\": " + LogLines.q(message) + ", \"task_type\": \"simple_command\", \"account_id\": \"main\"}";
  }

  /** One prompt with a game call whose argument and answer hold paths in the home folder. */
  static String sessionTranscript() {
    String head = "\"isSidechain\":false,\"cwd\":\"/home/" + HOME + "/bot\",\"sessionId\":\"0b1c2d3e-0000-4000-8000-000000000001\",";
    return String.join("\n",
        "{\"parentUuid\":null," + head + "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"load the route from /home/" + HOME + "/bot/route.txt\"},"
            + "\"uuid\":\"0b1c2d3e-0001-4000-8000-000000000001\",\"timestamp\":\"2026-01-20T09:00:01.000Z\"}",
        "{\"parentUuid\":\"0b1c2d3e-0001-4000-8000-000000000001\"," + head + "\"type\":\"assistant\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":"
            + "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"mcp__manny__send_command\",\"input\":{\"command\":\"LOAD_ROUTE /home/" + HOME + "/bot/route.txt\"}}]},"
            + "\"uuid\":\"0b1c2d3e-0002-4000-8000-000000000002\",\"timestamp\":\"2026-01-20T09:00:02.000Z\"}",
        "{\"parentUuid\":\"0b1c2d3e-0002-4000-8000-000000000002\"," + head + "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":"
            + "[{\"tool_use_id\":\"toolu_1\",\"type\":\"tool_result\",\"content\":\"loaded /home/" + HOME + "/bot/route.txt\"}]},"
            + "\"uuid\":\"0b1c2d3e-0003-4000-8000-000000000003\",\"timestamp\":\"2026-01-20T09:00:03.000Z\"}",
        "{\"parentUuid\":\"0b1c2d3e-0003-4000-8000-000000000003\"," + head + "\"type\":\"assistant\",\"message\":{\"id\":\"msg_2\",\"role\":\"assistant\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"Route loaded from /home/" + HOME + "/bot.\"}]},\"uuid\":\"0b1c2d3e-0004-4000-8000-000000000004\",\"timestamp\":\"2026-01-20T09:00:04.000Z\"}") + "\n";
  }

  /** The configuration with this key in a key file (the build's key variable switched off). */
  static PipelineConfig config(String key) throws IOException {
    Path file = Files.createTempFile(tmp, "key", ".txt");
    Files.writeString(file, key);
    PipelineConfig.Sources s = new PipelineConfig.Sources();
    s.overrides = List.of("privacy.key_env=", "privacy.key_file=" + file);
    return PipelineConfig.load(s);
  }

  static void extract(PipelineConfig config, Path lake) {
    ExtractJob.Options o = new ExtractJob.Options();
    o.logsDir = logs.toString();
    o.sessionsDir = tmp.resolve("projects").toString();
    o.lakeDir = lake.toString();
    new ExtractJob(spark, config, o).execute();
  }

  @Test
  void noExportedByteAndNoStatisticsRowHoldsAPlantedValue() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(out)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 9, "every format's files and the manifest: " + files);
    StringBuilder everything = new StringBuilder();
    for (Path f : files) everything.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
    Lake lake = new Lake(spark, lakeA.toString());
    for (String t : TableNames.STATISTICS) {
      assertTrue(lake.exists(t), t);
      for (String row : lake.read(t).toJSON().collectAsList()) everything.append(row).append('\n'); // small tables
    }
    String all = everything.toString();
    for (Map.Entry<String, String> p : planted().entrySet()) assertFalse(all.contains(p.getValue()), p.getKey() + " found in an output: " + p.getValue());
    // What is there instead: the placeholders and the pseudonyms.
    for (String placeholder : List.of("<SECRET:discord_token>", "<SECRET:openai_key>", "<SECRET:anthropic_key>", "<SECRET:github_token>", "<SECRET:aws_access_key>",
        "<SECRET:aws_secret_key>", "<SECRET:jwt>", "<SECRET:url_password>", "<EMAIL>", "<IP>")) {
      assertTrue(all.contains(placeholder), placeholder);
    }
    Pseudonyms p = new Pseudonyms(KEY.getBytes(StandardCharsets.UTF_8));
    assertTrue(all.contains("<@" + p.discordUser(ID_B) + ">") && all.contains("@" + p.discordUser(ID_A)), "mentions as pseudonyms");
    assertTrue(all.contains("/home/" + p.homeUser(HOME) + "/bot"), "home folders as pseudonyms");
    // Counted per type: the export summary, its manifest, and quality_stats.
    ExportJob.Result r = (ExportJob.Result) extracted.get("export");
    assertEquals(Map.of("anthropic_key", 1L, "aws_access_key", 1L, "aws_secret_key", 1L, "discord_token", 1L, "email", 1L, "github_token", 1L,
        "ipv4", 1L, "jwt", 1L, "openai_key", 1L, "url_password", 1L), r.redactions());
    assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"redactions\""));
    List<Row> redaction = lake.read(TableNames.QUALITY_STATS).where("grouping = 'redaction'").orderBy("redaction_type").select("redaction_type", "examples", "redactions").collectAsList();
    assertEquals(10, redaction.size(), redaction.toString());
    assertEquals(List.of("anthropic_key", 1L, 1L), List.of(redaction.get(0).get(0), redaction.get(0).get(1), redaction.get(0).get(2)));
  }

  @Test
  void rawIdsAndNamesOnlyInIdentitiesAndPseudonymsFollowTheKey() throws IOException {
    Lake lake = new Lake(spark, lakeA.toString());
    String examples = String.join("\n", lake.read(TableNames.EXAMPLES).drop("source_file").toJSON().collectAsList());
    for (String v : List.of(ID_A, ID_B, NAME_A, NAME_B)) assertFalse(examples.contains(v), v + " in examples");
    List<Row> who = lake.read(TableNames.IDENTITIES).orderBy("source", "username").select("source", "user_id", "username", "examples").collectAsList();
    assertEquals("[[claude_session,null," + HOME + ",1], [discord," + ID_A + "," + NAME_A + ",1], [discord," + ID_B + "," + NAME_B + ",1]]", who.toString());
    // The table as created: the schema in its first commit (names, types, order; a table Delta creates from a write stores every column nullable).
    String created = Files.readAllLines(lakeA.resolve(TableNames.IDENTITIES).resolve("_delta_log").resolve("00000000000000000000.json")).stream()
        .filter(l -> l.contains("\"metaData\"")).findFirst().orElseThrow();
    String schemaString = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created).path("metaData").path("schemaString").asText();
    assertEquals(dev.toolcalls.schemas.IdentitiesSchema.TABLE.asNullable(), org.apache.spark.sql.types.DataType.fromJson(schemaString));
    // First and last seen: the times of the person's examples in that file.
    var times = lake.read(TableNames.EXAMPLES).groupBy("user_key", "source_file")
        .agg(org.apache.spark.sql.functions.min("event_time").as("t0"), org.apache.spark.sql.functions.max("event_time").as("t1"));
    var joined = lake.read(TableNames.IDENTITIES).join(times, scala.collection.JavaConverters.asScalaBuffer(List.of("user_key", "source_file")).toSeq());
    assertEquals(3, joined.count());
    assertEquals(0, joined.where("NOT (first_seen <=> t0) OR NOT (last_seen <=> t1)").count());
    // Another lake, same key: the same pseudonyms; another key: others. Re-extracting adds no identity row.
    Path lakeB = tmp.resolve("lake-b"), lakeC = tmp.resolve("lake-c");
    extract(config(KEY), lakeB);
    extract(config(KEY), lakeB);
    extract(config("another-key-0123456789abcdef0123456789abcdef0"), lakeC);
    assertEquals(keys(lakeA), keys(lakeB));
    assertEquals(3, new Lake(spark, lakeB.toString()).read(TableNames.IDENTITIES).count());
    List<String> other = keys(lakeC);
    assertEquals(3, other.size());
    for (String k : other) assertFalse(keys(lakeA).contains(k), k);
    assertNotEquals(keys(lakeA), other);
  }

  static List<String> keys(Path lake) {
    return new Lake(spark, lake.toString()).read(TableNames.EXAMPLES).select("user_key").distinct().orderBy("user_key").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void forgetDeletesOnePersonFromEveryTable() throws IOException {
    Path lake = tmp.resolve("lake-forget");
    PipelineConfig config = config(KEY);
    extract(config, lake);
    Lake l = new Lake(spark, lake.toString());
    String key = new Pseudonyms(KEY.getBytes(StandardCharsets.UTF_8)).discordUser(ID_A);
    ForgetJob.Options o = new ForgetJob.Options();
    o.lakeDir = lake.toString();
    o.userId = ID_A;
    o.vacuum = true;
    ForgetJob.Result r = new ForgetJob(spark, config, o).execute();
    assertEquals(Map.of(TableNames.EXAMPLES, 1L, TableNames.IDENTITIES, 1L, TableNames.QUARANTINE, 1L), r.deleted(), r.toText());
    assertEquals(0, l.read(TableNames.EXAMPLES).where("user_key = '" + key + "'").count());
    assertEquals(2, l.read(TableNames.EXAMPLES).count(), "B's and the session's examples stay");
    assertEquals(0, l.read(TableNames.IDENTITIES).where("user_id = '" + ID_A + "'").count());
    assertEquals(0, l.read(TableNames.QUARANTINE).where("instr(raw_text, '" + ID_A + "') > 0").count());
    // Vacuumed: the version before the deletion can no longer be read.
    assertThrows(Exception.class, () -> spark.read().format("delta").option("versionAsOf", 0).load(l.path(TableNames.EXAMPLES)).collectAsList());
    // Exactly one of the two options.
    ForgetJob.Options both = new ForgetJob.Options();
    both.lakeDir = lake.toString();
    both.userId = ID_A;
    both.userKey = key;
    assertThrows(dev.toolcalls.pipeline.config.BadInputException.class, both::validate);
  }

  @Test
  void sqlRegistersIdentitiesButTheDefaultRegistrationNeverDoes() {
    Lake lake = new Lake(spark, lakeA.toString());
    assertFalse(lake.registerTables().contains(TableNames.IDENTITIES), "export, stats and serve-sql register these");
    assertFalse(lake.existingTables().contains(TableNames.IDENTITIES));
    assertEquals(List.of(TableNames.IDENTITIES), lake.registerTables(List.of(TableNames.IDENTITIES)));
    assertFalse(TableNames.ALL.contains(TableNames.IDENTITIES));
  }
}
