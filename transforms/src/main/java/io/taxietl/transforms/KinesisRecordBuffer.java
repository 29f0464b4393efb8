package io.taxietl.transforms;

import java.lang.reflect.Field;
import java.util.Collection;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer of records that KinesisIO's reader has fetched and not yet returned, so that a caller
 * can see whether {@code advance()} has a record to return before calling it.
 *
 * <p>Why: KinesisIO 2.62's {@code advance()} waits up to one second for a record when its buffer is
 * empty. Beam's Flink runner reads every split of a task in turn on the task's one thread, so each
 * split whose shard has nothing new held up the others, and the checkpoints, for a second per turn:
 * with four shards in one task and only one of them receiving records, that task read about one
 * record a second. The buffer is a private field of KinesisIO's reader (its shard readers' pool's
 * queue), read here by reflection; if a KinesisIO version lays it out differently, the reader falls
 * back to KinesisIO's own waiting {@code advance()} and says so once in the log.
 */
final class KinesisRecordBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(KinesisRecordBuffer.class);
  private static volatile boolean warned;

  private KinesisRecordBuffer() {}

  /**
   * The buffer of a started KinesisIO reader, or null if it cannot be reached (then {@code
   * advance()} may wait).
   */
  static @Nullable Collection<?> of(UnboundedReader<?> kinesisReader) {
    try {
      Object pool = field(kinesisReader, "shardReadersPool");
      Object queue = pool == null ? null : field(pool, "recordsQueue");
      if (queue instanceof Collection) {
        return (Collection<?>) queue;
      }
      warnOnce("KinesisIO's reader has no record buffer where this version expects it");
    } catch (ReflectiveOperationException | RuntimeException e) {
      warnOnce("KinesisIO's record buffer cannot be read (" + e + ")");
    }
    return null;
  }

  private static @Nullable Object field(Object owner, String name)
      throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static void warnOnce(String problem) {
    if (!warned) {
      warned = true;
      LOG.warn(
          "{}: each Kinesis split with no new record may hold up the others of its task for up to"
              + " a second per read",
          problem);
    }
  }
}
