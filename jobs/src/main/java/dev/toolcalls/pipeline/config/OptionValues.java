package dev.toolcalls.pipeline.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Checks of option values shared by several jobs' Options. */
public final class OptionValues {
  private OptionValues() {}

  /** A day given as {@code YYYY-MM-DD}, normalised, or a clear error naming the option. */
  public static String day(String option, String value) {
    try {
      return LocalDate.parse(value).toString();
    } catch (DateTimeParseException e) {
      throw new BadInputException(option + " expects a date YYYY-MM-DD, not '" + value + "'");
    }
  }
}
