package io.taxietl.transforms.io.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The positions (offsets, or offsets within a stripe of a partition) of one Kafka partition that the
 * pipeline has already let through, kept as disjoint ranges so that a record read a second time can be
 * recognised and dropped. A reader passes positions in order, one after the other.
 *
 * <p>Guarantee against loss: a record is only ever called a repeat when its exact offset lies inside
 * a range of offsets that were let through before. A gap (offsets never seen, such as a transaction
 * marker, an aborted transaction, or records another reader has not reached yet) is never closed by
 * guessing. Guarantee against repeats, within limits: a range is forgotten when nothing touched it for
 * {@code horizonMillis}, or, above {@link #MAX_RANGES} ranges, lowest offsets first; a repeat read
 * into a forgotten range gets through. The range holding the highest offset is never forgotten.
 *
 * <p>Not thread-safe; one ledger per key of a stateful step.
 */
public final class OffsetLedger {
  /** How many ranges one ledger keeps at most (each gap in the positions starts a new one). */
  public static final int MAX_RANGES = 1024;

  private final List<Range> ranges;

  public OffsetLedger() {
    this(new ArrayList<>());
  }

  private OffsetLedger(List<Range> sortedDisjointRanges) {
    this.ranges = sortedDisjointRanges;
  }

  /**
   * Records that {@code offset} was read at {@code nowMillis}.
   *
   * @return true the first time an offset is seen (let it through), false when it was let through
   *     before and is still remembered (drop it)
   */
  public boolean firstSighting(long offset, long nowMillis, long horizonMillis) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }
    int below = lastRangeStartingAtOrBelow(offset);
    if (below >= 0 && offset <= ranges.get(below).hi) {
      ranges.get(below).touched = nowMillis;
      return false;
    }
    Range previous = below >= 0 ? ranges.get(below) : null;
    Range next = below + 1 < ranges.size() ? ranges.get(below + 1) : null;
    boolean extendsPrevious = previous != null && previous.hi == offset - 1;
    boolean extendsNext = next != null && next.lo == offset + 1;
    if (extendsPrevious && extendsNext) {
      previous.hi = next.hi;
      previous.touched = nowMillis;
      ranges.remove(below + 1);
    } else if (extendsPrevious) {
      previous.hi = offset;
      previous.touched = nowMillis;
    } else if (extendsNext) {
      next.lo = offset;
      next.touched = nowMillis;
    } else {
      ranges.add(below + 1, new Range(offset, offset, nowMillis));
      forgetStaleRanges(nowMillis, horizonMillis);
    }
    return true;
  }

  /**
   * A deep copy. A stateful step must change a copy and write it back, never the object it read: on
   * Flink's heap state backend with Beam's {@code fasterCopy} the object read is the one an
   * asynchronous checkpoint may still be writing, so changing it in place would put offsets read after
   * the checkpoint into that checkpoint, and a restore from it would drop them as repeats.
   */
  public OffsetLedger copy() {
    List<Range> copied = new ArrayList<>(ranges.size() + 1);
    for (Range range : ranges) {
      copied.add(new Range(range.lo, range.hi, range.touched));
    }
    return new OffsetLedger(copied);
  }

  /** The remembered ranges as {@code [lo, hi]} pairs, lowest first. */
  public List<long[]> ranges() {
    List<long[]> copy = new ArrayList<>(ranges.size());
    for (Range range : ranges) {
      copy.add(new long[] {range.lo, range.hi});
    }
    return Collections.unmodifiableList(copy);
  }

  public int size() {
    return ranges.size();
  }

  public long lo(int index) {
    return ranges.get(index).lo;
  }

  public long hi(int index) {
    return ranges.get(index).hi;
  }

  public long touched(int index) {
    return ranges.get(index).touched;
  }

  /** Rebuilds a ledger from ranges given lowest first, as its coder wrote them. */
  public static OffsetLedger of(long[] lo, long[] hi, long[] touched) {
    List<Range> ranges = new ArrayList<>(lo.length);
    for (int i = 0; i < lo.length; i++) {
      if (hi[i] < lo[i] || (i > 0 && lo[i] <= hi[i - 1] + 1)) {
        throw new IllegalArgumentException("ranges must be disjoint, apart and lowest first at index " + i);
      }
      ranges.add(new Range(lo[i], hi[i], touched[i]));
    }
    return new OffsetLedger(ranges);
  }

  /** Called only when a range was added, so the common case (extending a range) stays O(log n). */
  private void forgetStaleRanges(long nowMillis, long horizonMillis) {
    int head = ranges.size() - 1;
    for (int i = head - 1; i >= 0; i--) {
      if (nowMillis - ranges.get(i).touched > horizonMillis) {
        ranges.remove(i);
      }
    }
    while (ranges.size() > MAX_RANGES) {
      ranges.remove(0);
    }
  }

  private int lastRangeStartingAtOrBelow(long offset) {
    int low = 0;
    int high = ranges.size() - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (ranges.get(mid).lo <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  private static final class Range {
    long lo;
    long hi;
    long touched;

    Range(long lo, long hi, long touched) {
      this.lo = lo;
      this.hi = hi;
      this.touched = touched;
    }
  }
}
