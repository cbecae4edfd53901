package dev.toolcalls.pipeline.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A file's content hash for ingest_log: XXH64 (lz4-java, which Spark already ships) of the bytes
 * as stored, compressed ones for a {@code .gz}. Computed while the reader streams the file, so it
 * costs no second read; a file whose time moved but whose hash did not (a copy, a restore from a
 * backup) is not extracted again.
 */
public final class ContentHash {
  private static final long SEED = 0;

  private ContentHash() {}

  /** The hash of everything read through it. */
  public static final class HashingStream extends FilterInputStream {
    private final StreamingXXHash64 hash = XXHashFactory.fastestInstance().newStreamingHash64(SEED);

    private boolean closed;

    HashingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) hash.update(new byte[] {(byte) b}, 0, 1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) hash.update(buf, off, n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are content too: read them through the hash.
      byte[] buf = new byte[8192];
      long left = n;
      while (left > 0) {
        int r = read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) break;
        left -= r;
      }
      return n - left;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** The hash of the bytes read so far, as 16 hex digits. */
    public String hex() {
      return String.format("%016x", hash.getValue());
    }

    /**
     * Reads what the reader left unread through the hash before closing, so the hash covers the whole
     * file (a GZIPInputStream stops at the end of the last gzip member, before any trailing bytes).
     */
    @Override
    public void close() throws IOException {
      if (closed) return;
      closed = true;
      try {
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
          // drained into the hash
        }
      } finally {
        in.close();
      }
    }
  }

  public static HashingStream wrap(InputStream raw) {
    return new HashingStream(raw);
  }

  /** Puts the hash on the file's report as it passes (the report comes last, once the file is read to its end). */
  public static Iterator<ExtractRecord> recordedOn(Iterator<ExtractRecord> records, HashingStream hash) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public ExtractRecord next() {
        ExtractRecord r = records.next();
        // The reader has closed the file (see HashingStream.close) before its report comes out.
        if (r.kind == ExtractRecord.Kind.REPORT && r.report.error == null) r.report.contentHash = hash.hex();
        return r;
      }
    };
  }

  public static String of(byte[] bytes) {
    StreamingXXHash64 h = XXHashFactory.fastestInstance().newStreamingHash64(SEED);
    h.update(bytes, 0, bytes.length);
    return String.format("%016x", h.getValue());
  }

  /** Reads a whole file for its hash alone (the planning check of files whose time moved). */
  public static String of(FileSystem fs, Path path) throws IOException {
    try (HashingStream in = wrap(fs.open(path, 1 << 20))) {
      in.transferTo(OutputStreamNull.INSTANCE);
      return in.hex();
    }
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
