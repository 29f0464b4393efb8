package io.taxietl.replay;

import java.io.IOException;

/**
 * Kafka could not be reached or refused the replay: the message names the servers and the topic and
 * says what went wrong; {@link Replay} prints it without a stack trace and exits with status 1.
 */
public final class KafkaReplayException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message for the user and the failure that caused it. */
  public KafkaReplayException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message for the user. */
  public KafkaReplayException(String message) {
    super(message);
  }
}
