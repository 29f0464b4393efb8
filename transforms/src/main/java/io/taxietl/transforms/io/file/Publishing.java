package io.taxietl.transforms.io.file;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Whether this JVM still publishes files ({@link PublishCommittedFiles}). A local run stopped
 * before its end (Ctrl-C, SIGTERM) {@linkplain #stop stops} publishing before it reports how many
 * files it published, so that the count it prints is the number of files in place: a publish under
 * way finishes first, and none starts after. Each publish is one rename (atomic on a local disk, a
 * copy then a delete on S3), so a published file is whole either way.
 */
public final class Publishing {
  private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();
  private static volatile boolean stopped;

  private Publishing() {}

  /** One publish: a rename and its count. */
  interface Action {
    void run() throws IOException;
  }

  /**
   * Runs {@code action} unless publishing has stopped.
   *
   * @throws IllegalStateException when this JVM publishes no more files
   */
  static void publish(Action action) throws IOException {
    LOCK.readLock().lock();
    try {
      if (stopped) {
        throw new IllegalStateException("this JVM is exiting: it publishes no more files");
      }
      action.run();
    } finally {
      LOCK.readLock().unlock();
    }
  }

  /**
   * Stops publishing in this JVM for good, waiting up to {@code timeout} for the publishes under
   * way.
   *
   * @return whether no publish was under way any more when it stopped
   */
  public static boolean stop(Duration timeout) {
    stopped = true;
    try {
      if (LOCK.writeLock().tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOCK.writeLock().unlock();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
