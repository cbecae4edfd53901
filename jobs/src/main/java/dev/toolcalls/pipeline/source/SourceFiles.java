package dev.toolcalls.pipeline.source;

import dev.toolcalls.pipeline.config.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists input files on the driver (a list of files, never of rows), through Hadoop's FileSystem. */
public final class SourceFiles {
  private SourceFiles() {}

  /** Which days to take from a folder of daily files. */
  public static final class DaySelection {
    final String date;
    final String since;

    private DaySelection(String date, String since) {
      this.date = date;
      this.since = since;
    }

    public static DaySelection all() {
      return new DaySelection(null, null);
    }

    public static DaySelection date(String d) {
      return new DaySelection(d, null);
    }

    public static DaySelection since(String d) {
      return new DaySelection(null, d);
    }

    /** Every day: the listing is the whole folder. */
    public boolean isAll() {
      return date == null && since == null;
    }

    boolean accepts(String day) {
      if (date != null) return date.equals(day);
      if (since != null) return day != null && day.compareTo(since) >= 0;
      return true;
    }

    @Override
    public String toString() {
      return date != null ? "date " + date : since != null ? "since " + since : "all days";
    }
  }

  /**
   * Fails fast, before any Spark work, when an input folder is missing. The path is resolved the
   * way Spark will resolve it (Hadoop's default file system: the local disk here, HDFS on a
   * cluster whose configuration says so), so a cluster path is not looked for on the driver's disk.
   */
  public static void checkLocalFolder(String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(new Configuration());
      if (!"file".equals(fs.getScheme())) return; // remote file systems are checked when listed
      if (!fs.exists(p)) throw new BadInputException("input folder not found: " + dir);
      if (!fs.getFileStatus(p).isDirectory()) throw new BadInputException("not a folder: " + dir);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The day in a daily file's name (group 1 of the pattern), or null. */
  public static String dayOf(String relativePath, String namePattern) {
    String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
    Matcher m = Pattern.compile(namePattern).matcher(name);
    return m.matches() && m.groupCount() >= 1 ? m.group(1) : null;
  }

  /** Daily files under {@code dir} (recursively) whose name matches {@code namePattern}; group 1 is the day. */
  public static List<InputFile> daily(Configuration conf, String dir, String namePattern, DaySelection selection) {
    Pattern pattern = Pattern.compile(namePattern);
    List<InputFile> out = new ArrayList<>();
    int seen = 0;
    for (InputFile f : tree(conf, dir)) {
      Matcher m = pattern.matcher(f.name());
      if (!m.matches()) continue;
      seen++;
      String day = m.groupCount() >= 1 ? m.group(1) : null;
      if (selection.accepts(day)) out.add(new InputFile(f.uri, f.relativePath, f.sizeBytes, f.modifiedMillis, day));
    }
    if (seen == 0) {
      throw new BadInputException("no input files in " + dir + " (expected names matching " + namePattern + ")");
    }
    if (out.isEmpty()) throw new BadInputException("no input file in " + dir + " for " + selection);
    java.util.Set<String> seen2 = new java.util.HashSet<>();
    for (InputFile f : out) {
      if (!seen2.add(uncompressedName(f.relativePath))) {
        throw new BadInputException("both " + uncompressedName(f.relativePath) + " and its .gz are in " + dir + ": one day would be read twice; keep one of them");
      }
    }
    return out;
  }

  /** A daily file's name without {@code .gz}: the plain and the compressed file are the same day. */
  public static String uncompressedName(String relativePath) {
    return relativePath.endsWith(".gz") ? relativePath.substring(0, relativePath.length() - 3) : relativePath;
  }

  /** Both names a daily file may have had in an earlier run: compressing a day keeps its rows single. */
  public static List<String> bothForms(String relativePath) {
    String plain = uncompressedName(relativePath);
    return List.of(plain, plain + ".gz");
  }

  /**
   * The files under {@code dir} (recursively) whose path relative to it passes {@code accept};
   * {@code expected} says what was looked for when there is none.
   */
  public static List<InputFile> matching(Configuration conf, String dir, Predicate<String> accept, String expected) {
    List<InputFile> out = new ArrayList<>();
    for (InputFile f : tree(conf, dir)) if (accept.test(f.relativePath)) out.add(f);
    if (out.isEmpty()) throw new BadInputException("no input files in " + dir + " (expected " + expected + ")");
    return out;
  }

  /** Every file under {@code dir}, recursively, sorted by relative path. */
  static List<InputFile> tree(Configuration conf, String dir) {
    List<InputFile> out = new ArrayList<>();
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) throw new BadInputException("input folder not found: " + dir);
      if (!fs.getFileStatus(root).isDirectory()) throw new BadInputException("not a folder: " + dir);
      Path qualifiedRoot = fs.makeQualified(root);
      String rootText = qualifiedRoot.toUri().getPath();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(qualifiedRoot, true);
      while (it.hasNext()) {
        LocatedFileStatus st = it.next();
        String full = st.getPath().toUri().getPath();
        String relative = full.startsWith(rootText + "/") ? full.substring(rootText.length() + 1) : st.getPath().getName();
        out.add(new InputFile(st.getPath().toString(), relative, st.getLen(), st.getModificationTime(), null));
      }
    } catch (FileNotFoundException e) {
      throw new BadInputException("input folder not found: " + dir, e);
    } catch (IOException e) {
      throw new BadInputException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(f -> f.relativePath));
    return out;
  }
}
