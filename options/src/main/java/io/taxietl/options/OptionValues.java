package io.taxietl.options;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads each {@code --name=value} argument on its own, the way Beam will, so that every value Beam
 * cannot read as its option's type is reported at once (Beam stops at the first), each in words:
 * the option, the value, and what the option accepts ({@code --source=PUBSUB is invalid: expected
 * one of FILE, KAFKA, KINESIS}) instead of the JSON parser's message.
 *
 * <p>Whether a value is readable is Beam's decision (it reads the argument); only the wording is
 * ours. Options of every interface registered with {@link PipelineOptionsFactory} are known, the
 * runner's too.
 */
public final class OptionValues {
  private static final Pattern ARGUMENT =
      Pattern.compile("--([A-Za-z][A-Za-z0-9]*)=(.*)", Pattern.DOTALL);
  private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("missing a property named '");
  private static final Pattern SUGGESTION = Pattern.compile("Did you mean (.*)\\?");
  private static final Pattern QUOTED_NAME = Pattern.compile("'([A-Za-z][A-Za-z0-9]*)'");

  /** The JSON parser's position line, which means nothing to a user of the command line. */
  private static final String PARSER_POSITION = "\n at [Source";

  private OptionValues() {}

  /**
   * The problem of every {@code --name=value} in {@code args} that Beam cannot read as an option of
   * {@code options} (or of a registered interface): an unknown name, or a value of the wrong type.
   * Other arguments ({@code --flag}, {@code --help}, ...) are left to Beam's own parsing.
   */
  public static List<String> problems(Class<? extends PipelineOptions> options, String[] args) {
    Set<String> problems = new LinkedHashSet<>();
    for (String arg : args) {
      Matcher argument = ARGUMENT.matcher(arg);
      if (!argument.matches() || argument.group(1).equals("help")) {
        continue;
      }
      String option = argument.group(1);
      String value = argument.group(2);
      String beamProblem = readProblem(options, option, value);
      if (beamProblem == null) {
        continue;
      }
      if (UNKNOWN_PROPERTY.matcher(beamProblem).find()) {
        problems.add(unknownOption(option, beamProblem));
      } else {
        problems.add(
            "--" + option + "=" + value + " is invalid: " + reason(options, option, beamProblem));
      }
    }
    return new ArrayList<>(problems);
  }

  /**
   * Why Beam cannot read {@code value} as the type of {@code option}, or null when it can: {@code
   * expected one of FILE, KAFKA, KINESIS}. For an option that exists.
   */
  public static @Nullable String typeProblem(
      Class<? extends PipelineOptions> options, String option, String value) {
    String beamProblem = readProblem(options, option, value);
    return beamProblem == null ? null : reason(options, option, beamProblem);
  }

  /** Beam's message when it cannot read the argument, else null. */
  private static @Nullable String readProblem(
      Class<? extends PipelineOptions> options, String option, String value) {
    try {
      PipelineOptionsFactory.fromArgs("--" + option + "=" + value).as(options);
      return null;
    } catch (IllegalArgumentException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private static String reason(
      Class<? extends PipelineOptions> options, String option, String beamProblem) {
    Class<?> type = typeOf(options, option);
    String expected = type == null ? null : expected(type);
    return expected != null ? expected : withoutParserPosition(beamProblem);
  }

  /** What a value of {@code type} must look like, or null for a type without a short answer. */
  static @Nullable String expected(Class<?> type) {
    if (type.isEnum()) {
      return "expected one of " + String.join(", ", OptionDescriptions.enumValues(type));
    }
    if (type == int.class || type == Integer.class) {
      return "expected a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }
    if (type == long.class || type == Long.class) {
      return "expected a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }
    if (type == boolean.class || type == Boolean.class) {
      return "expected true or false";
    }
    if (type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class) {
      return "expected a number";
    }
    return null;
  }

  private static String unknownOption(String option, String beamMessage) {
    StringBuilder problem =
        new StringBuilder("--").append(option).append(" is not an option of this pipeline");
    Matcher suggestion = SUGGESTION.matcher(beamMessage);
    if (suggestion.find()) {
      problem
          .append(": did you mean ")
          .append(QUOTED_NAME.matcher(suggestion.group(1)).replaceAll("--$1"))
          .append('?');
    }
    return problem.append(" (--help lists them)").toString();
  }

  private static @Nullable Class<?> typeOf(
      Class<? extends PipelineOptions> options, String option) {
    List<Class<?>> interfaces = new ArrayList<>(PipelineOptionsFactory.getRegisteredOptions());
    interfaces.add(0, options);
    for (Class<?> candidate : interfaces) {
      Method getter = OptionDescriptions.findGetter(candidate, option);
      if (getter != null) {
        return getter.getReturnType();
      }
    }
    return null;
  }

  /** Beam's message about the options without the JSON parser's position line. */
  public static String readable(String beamMessage) {
    return withoutParserPosition(String.valueOf(beamMessage));
  }

  private static String withoutParserPosition(String message) {
    int position = message.indexOf(PARSER_POSITION);
    return position < 0 ? message : message.substring(0, position);
  }
}
