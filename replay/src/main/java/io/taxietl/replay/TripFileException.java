package io.taxietl.replay;

import java.io.IOException;

/**
 * An input trip file that cannot be converted: a missing column, a row with the wrong number of
 * fields or a value of the wrong kind. The message says which file, row and column; {@link Replay}
 * prints it without a stack trace and exits with status 1.
 */
public final class TripFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message for the user. */
  public TripFileException(String message) {
    super(message);
  }

  /** Creates the exception with a message for the user and the failure that caused it. */
  public TripFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
