package io.taxietl.replay;

import java.io.IOException;

/**
 * Kinesis could not be reached or refused the replay: the message names the endpoint and the stream
 * and says what went wrong; {@link Replay} prints it without a stack trace and exits with status 1.
 */
public final class KinesisReplayException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message for the user and the failure that caused it. */
  public KinesisReplayException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message for the user. */
  public KinesisReplayException(String message) {
    super(message);
  }
}
