package dev.toolcalls.pipeline.source;

import java.io.Serializable;

/** One input file as listed on the driver: where it is, what it is called in the tables, its size. */
public final class InputFile implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Fully qualified Hadoop path (file:/..., s3a://...). */
  public final String uri;
  /** Path relative to the input folder: the tables' source_file. */
  public final String relativePath;
  public final long sizeBytes;
  public final long modifiedMillis;
  /** The day in the file name (YYYY-MM-DD), or null. */
  public final String day;

  public InputFile(String uri, String relativePath, long sizeBytes, long modifiedMillis, String day) {
    this.uri = uri;
    this.relativePath = relativePath;
    this.sizeBytes = sizeBytes;
    this.modifiedMillis = modifiedMillis;
    this.day = day;
  }

  /** The file's name, without its folders. */
  public String name() {
    int slash = relativePath.lastIndexOf('/');
    return slash < 0 ? relativePath : relativePath.substring(slash + 1);
  }

  public boolean gzipped() {
    return relativePath.endsWith(".gz");
  }

  @Override
  public String toString() {
    return relativePath;
  }
}
