package dev.toolcalls.pipeline.privacy;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The secret key of the pseudonyms, read on the driver: from the environment variable named by
 * {@code privacy.key_env}, else the file named by {@code privacy.key_file} (default
 * {@code ~/.config/toolcall-pipeline/pseudonym.key}), which the first run creates with 32 random
 * bytes (as hex text, permissions 600) and names once. Never a fixed default, never from the
 * repository, never printed. The key is the text's UTF-8 bytes (trimmed), so the same text in the
 * variable or in the file gives the same pseudonyms.
 */
public final class PseudonymKey {
  /** Shorter keys are refused: a guessable key makes the pseudonyms a plain hash again. */
  static final int MIN_LENGTH = 32;
  static final String DEFAULT_FILE = ".config/toolcall-pipeline/pseudonym.key";

  private PseudonymKey() {}

  /** The key, from the environment or the key file (created when missing; {@code notices} hears where). */
  public static byte[] load(PipelineConfig config, PrintStream notices) {
    return load(config, System.getenv(), notices);
  }

  static byte[] load(PipelineConfig config, Map<String, String> env, PrintStream notices) {
    String var = config.string("privacy.key_env", "PIPELINE_PSEUDONYM_KEY");
    String fromEnv = var.isBlank() ? null : env.get(var);
    if (fromEnv != null && !fromEnv.isBlank()) return check(fromEnv.trim(), "environment variable " + var);
    String configured = config.string("privacy.key_file", "");
    Path file = configured.isBlank() ? Path.of(System.getProperty("user.home"), DEFAULT_FILE) : Path.of(configured.replaceFirst("^~(?=/|$)", System.getProperty("user.home")));
    try {
      if (!Files.exists(file)) create(file, notices);
      return check(Files.readString(file, StandardCharsets.UTF_8).trim(), "key file " + file);
    } catch (IOException e) {
      throw new BadInputException("cannot read or create the pseudonym key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file, PrintStream notices) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    try {
      // Created with its permissions (never a moment readable by others) where POSIX allows.
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      return; // another run created it at the same moment: use theirs
    }
    Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
    notices.println("created a pseudonym key in " + file + " (permissions 600): keep it, and copy it to every machine that must give the same"
        + " pseudonyms; a lost key makes new pseudonyms for everyone (see README, Privacy)");
  }

  private static byte[] check(String key, String where) {
    if (key.length() < MIN_LENGTH) throw new BadInputException("the pseudonym key in " + where + " is shorter than " + MIN_LENGTH + " characters (make one with: openssl rand -hex 32)");
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
