package io.taxietl.replay;

/**
 * A command line that cannot be run as given: an unknown command or option, a missing or bad value,
 * an input that does not exist or whose name does not say what it holds. The message names the
 * argument and its value; {@link Replay} prints it without a stack trace and exits with status 2.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message for the user. */
  public UsageException(String message) {
    super(message);
  }
}
