package dev.toolcalls.pipeline.config;

/** Bad options, configuration or input: the user can fix it; the CLI exits with code 2. */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
