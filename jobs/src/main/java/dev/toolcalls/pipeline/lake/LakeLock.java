package dev.toolcalls.pipeline.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writing run per lake at a time. On a local disk (and on S3 without the DynamoDB log store)
 * Delta's put-if-absent commit is not guaranteed, so two runs could both "win" a version and one
 * commit would be lost without a word; the lock makes the second run fail fast instead (exit 3).
 * Held with an OS file lock on {@code <lake>/_pipeline.lock}, released when the run ends or its JVM
 * dies. Lakes on other file systems are not locked here: there, use a Delta log store with atomic
 * commits (S3: the DynamoDB log store; HDFS and ADLS are atomic already).
 */
public final class LakeLock implements AutoCloseable {
  /** Another run holds the lake. */
  public static final class BusyException extends RuntimeException {
    public BusyException(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private LakeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of a lake folder ({@code file:} URIs and plain paths); a no-op elsewhere. */
  public static LakeLock acquire(String lakeRoot, String command) {
    java.net.URI uri = java.net.URI.create(lakeRoot);
    if (uri.getScheme() != null && !"file".equals(uri.getScheme())) return new LakeLock(null, null);
    Path dir = Path.of(uri.getScheme() == null ? lakeRoot : uri.getPath());
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("_pipeline.lock");
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // held by another run in this very JVM
      }
      if (l == null) {
        ch.close();
        throw new BusyException("another run is writing to the lake " + lakeRoot + " (" + file + " is locked); try again when it has finished");
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap((command + " pid " + ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return new LakeLock(ch, l);
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock the lake " + lakeRoot + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (lock != null) lock.release();
      if (channel != null) channel.close();
    } catch (IOException ignored) {
      // the OS releases the lock with the channel or the process anyway
    }
  }
}
