package dev.toolcalls.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/cds.sh, the launcher's class-data archive: trained when missing or older than the jar,
 * with the demo in a throwaway folder; left alone when fresh; a failed training never fails the
 * run. A stand-in for java records its arguments (a real training takes about 30 s).
 */
class CdsArchiveTest {
  @TempDir Path dir;

  @Test
  void trainsOnceWhenMissingThenLeavesAFreshArchiveAlone() throws Exception {
    Path jar = jar();
    Path archive = dir.resolve("pipeline-classes.jsa");
    Path fakeJava = fakeJava(0);

    Result first = train(fakeJava, archive, jar);
    assertEquals(0, first.exitCode, first.output);
    assertTrue(Files.isRegularFile(archive), first.output);
    List<String> calls = Files.readAllLines(dir.resolve("calls"));
    assertEquals(2, calls.size(), "generate one day, then the recorded nightly run over it: " + calls);
    assertTrue(calls.get(0).startsWith("-Xmx1g -XX:TieredStopAtLevel=1 dev.toolcalls.pipeline.cli.PipelineCli generate --out "), calls.get(0));
    String recorded = calls.get(1);
    assertTrue(recorded.startsWith("-Xmx1g -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="), recorded);
    assertTrue(recorded.contains(" dev.toolcalls.pipeline.cli.PipelineCli run --logs "), recorded);
    assertTrue(recorded.contains(" --conf privacy.key_file="), recorded); // never the user's key
    assertTrue(first.output.contains("training the class-data archive"), first.output);
    assertEquals(List.of("calls", "fake-java", "lib", "pipeline-classes.jsa", "pipeline-classes.jsa.key", "pipeline-classes.jsa.lock", "pipeline.jar"),
        Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left beside the archive");
    assertEquals(Files.getLastModifiedTime(jar), Files.getLastModifiedTime(archive), "stamped with the jar's time as training began");

    Result second = train(fakeJava, archive, jar);
    assertEquals(0, second.exitCode, second.output);
    assertEquals(2, Files.readAllLines(dir.resolve("calls")).size(), "a fresh archive is not trained again");
    assertEquals("", second.output);

    // A rebuilt jar makes the archive stale...
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 60_000));
    train(fakeJava, archive, jar);
    assertEquals(4, Files.readAllLines(dir.resolve("calls")).size());
    // ...and so does a library jar that changed without the application jar.
    Files.writeString(dir.resolve("lib/dep.jar"), "dep, another version");
    train(fakeJava, archive, jar);
    assertEquals(6, Files.readAllLines(dir.resolve("calls")).size());
    train(fakeJava, archive, jar);
    assertEquals(6, Files.readAllLines(dir.resolve("calls")).size());
  }

  @Test
  void aFailedTrainingIsReportedAndTheRunGoesOn() throws Exception {
    Path jar = jar();
    Path archive = dir.resolve("pipeline-classes.jsa");
    Result r = train(fakeJava(1), archive, jar);
    assertEquals(0, r.exitCode, r.output);
    assertFalse(Files.exists(archive));
    assertTrue(r.output.contains("could not train the class-data archive"), r.output);
    assertTrue(r.output.contains("no session for you"), "the training log's tail is shown: " + r.output);

    // Not tried again for the same jar (a JDK that cannot make archives would pay it every run)...
    Path failed = archive.resolveSibling(archive.getFileName() + ".failed");
    Result again = train(fakeJava(1), archive, jar);
    assertEquals("", again.output);
    assertEquals(1, Files.readAllLines(dir.resolve("calls")).size());
    // ...but again once the jar is rebuilt, and a success clears the failure.
    Files.setLastModifiedTime(failed, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    Result rebuilt = train(fakeJava(0), archive, jar);
    assertEquals(3, Files.readAllLines(dir.resolve("calls")).size(), rebuilt.output);
    assertTrue(Files.isRegularFile(archive));
    assertFalse(Files.exists(failed));
  }

  @Test
  void onlyCommandsThatStartSparkUseTheArchive() throws Exception {
    for (String c : List.of("extract", "run", "export", "stats", "sql", "demo", "bench")) assertEquals(0, wanted(c), c);
    for (String c : List.of("generate", "--help", "help", "-V", "")) assertEquals(1, wanted(c), c);
    assertEquals(1, bash("cds_wanted extract --logs x --help").exitCode, "a command's help trains nothing");
  }

  @Test
  void noArchiveWithAJfrRecordingOrAnAgentWhichCrashJdk17WithIt() throws Exception {
    assertEquals(0, bash("cds_fits_options -Xmx4g -XX:+UseParallelGC -XX:TieredStopAtLevel=1").exitCode);
    for (String o : List.of("-XX:StartFlightRecording=filename=x.jfr,settings=profile", "-XX:StartFlightRecording", "-XX:+FlightRecorder",
        "-javaagent:/x/agent.jar", "-agentlib:jdwp=transport=dt_socket,server=y", "-agentpath:/x/libprof.so")) {
      assertEquals(1, bash("cds_fits_options -Xmx4g \"$1\"", o).exitCode, o);
    }
  }

  /** The application jar and a library folder beside it, as jobs/target has them. */
  private Path jar() throws Exception {
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/dep.jar"), "dep");
    return Files.writeString(dir.resolve("pipeline.jar"), "jar");
  }

  private record Result(int exitCode, String output) {}

  /** A java stand-in: records its arguments, writes the archive it is asked for, exits with {@code code}. */
  private Path fakeJava(int code) throws Exception {
    Path script = dir.resolve("fake-java");
    Files.writeString(script, String.join("\n",
        "#!/usr/bin/env bash",
        "echo \"$*\" >> '" + dir.resolve("calls") + "'",
        "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*) echo archive > \"${a#*=}\" ;; esac; done",
        code == 0 ? "exit 0" : "echo 'no session for you'; exit " + code, ""));
    script.toFile().setExecutable(true);
    return script;
  }

  private Result train(Path fakeJava, Path archive, Path jar) throws Exception {
    return bash("cds_train_if_stale \"$1\" \"$2\" \"$3\" \"$4\" -Xmx1g -XX:TieredStopAtLevel=1", archive.toString(), jar.toString(), dir.resolve("lib").toString(), fakeJava.toString());
  }

  private int wanted(String command) throws Exception {
    return bash("cds_wanted \"$1\"", command).exitCode;
  }

  /** Runs {@code body} with bin/lib/cds.sh sourced (the repository's copy, found from jobs/). */
  private Result bash(String body, String... args) throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/cds.sh");
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", "set -euo pipefail; . \"$0\"; " + body, script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
