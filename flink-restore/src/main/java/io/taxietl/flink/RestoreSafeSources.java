package io.taxietl.flink;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SourceTransformation;

/**
 * Puts a {@link RestoreSafeSource} around every source that Beam's Flink runner translated a Beam
 * {@code Read} into, in a translated but not yet executed Flink program.
 *
 * <p>Flink's {@link SourceTransformation} has no setter for its source, so the field is set by
 * reflection; a Flink version that renames it fails here, at submission, with the field's name.
 */
public final class RestoreSafeSources {
  private static final String SOURCE_FIELD = "source";

  private RestoreSafeSources() {}

  /**
   * Wraps the Beam sources of every transformation added to {@code environment} (and of their
   * inputs).
   *
   * @return how many sources were wrapped
   */
  public static int install(StreamExecutionEnvironment environment) {
    Deque<Transformation<?>> toVisit = new ArrayDeque<>(environment.getTransformations());
    Set<Transformation<?>> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    int wrapped = 0;
    while (!toVisit.isEmpty()) {
      Transformation<?> transformation = toVisit.pop();
      if (!visited.add(transformation)) {
        continue;
      }
      if (transformation instanceof SourceTransformation
          && wrap((SourceTransformation<?, ?, ?>) transformation)) {
        wrapped++;
      }
      toVisit.addAll(transformation.getInputs());
    }
    return wrapped;
  }

  private static boolean wrap(SourceTransformation<?, ?, ?> transformation) {
    Source<?, ?, ?> source = transformation.getSource();
    if (!(source instanceof FlinkSource)) {
      return false;
    }
    try {
      Field field = SourceTransformation.class.getDeclaredField(SOURCE_FIELD);
      field.setAccessible(true);
      field.set(transformation, RestoreSafeSource.of(source));
      return true;
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot make source '"
              + transformation.getName()
              + "' restore-safe: Flink's SourceTransformation."
              + SOURCE_FIELD
              + " is not accessible in this Flink version",
          e);
    }
  }
}
