package dev.toolcalls.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/** File helpers for fixtures. */
public final class TestFiles {
  private TestFiles() {}

  /**
   * Dates a fixture file (or every file under a folder) an hour back, past the settle time: a log
   * written by a test a moment ago would otherwise count as still being written by the bot, and its
   * unfinished lines and turns would be left for the next run instead of quarantined.
   */
  public static Path settled(Path fileOrFolder) {
    FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    try (Stream<Path> all = Files.walk(fileOrFolder)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) Files.setLastModifiedTime(p, hourAgo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fileOrFolder;
  }
}
