package io.taxietl.pipeline.validation;

import io.taxietl.pipeline.KeyValueOptions;
import java.util.List;

/**
 * The rule for extra Kafka client properties ({@code key=value} items): each has a key and an
 * {@code =}, and none sets what the pipeline sets itself.
 */
final class KafkaClientPropertiesRule {
  private KafkaClientPropertiesRule() {}

  static void check(String option, List<String> items, List<String> owned, Problems problems) {
    try {
      for (String key : KeyValueOptions.parse(option, items).keySet()) {
        if (owned.contains(key)) {
          problems.add("--" + option + " sets '" + key + "', which the pipeline sets itself");
        }
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }
}
