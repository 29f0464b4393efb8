package io.taxietl.pipeline.validation;

import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Rules for AWS names that options carry: region ids. */
final class AwsRules {
  private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");

  private AwsRules() {}

  /** An AWS region id such as eu-west-1 or us-gov-west-1, when set. */
  static void region(String option, @Nullable String region, Problems problems) {
    if (region != null && !AWS_REGION.matcher(region.trim()).matches()) {
      problems.add(
          "--" + option + "=" + region + " is not an AWS region id (e.g. us-east-1, eu-west-1)");
    }
  }
}
