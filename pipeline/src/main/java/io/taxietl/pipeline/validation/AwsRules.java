package io.taxietl.pipeline.validation;

import io.taxietl.options.AwsNames;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Rules for AWS names that options carry (the names themselves are {@link AwsNames}'). */
final class AwsRules {
  private AwsRules() {}

  /** An AWS region id such as eu-west-1 or us-gov-west-1, when set. */
  static void region(String option, @Nullable String region, Problems problems) {
    if (region != null && !AwsNames.isRegionId(region.trim())) {
      problems.add(
          "--" + option + "=" + region + " is not an AWS region id (e.g. us-east-1, eu-west-1)");
    }
  }
}
