package io.taxietl.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret option given as a reference to an environment variable, {@code ${env:NAME}} (Kafka's
 * config-provider syntax), so that the secret is on no command line: the value is read from the
 * environment of the process that builds the job (the main) and travels inside the job, never with
 * its options. Any other value is the secret itself.
 */
public final class EnvironmentSecret {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private EnvironmentSecret() {}

  /** The variable {@code value} names as {@code ${env:NAME}}, or null when it is no reference. */
  public static String variable(String value) {
    if (value == null) {
      return null;
    }
    Matcher reference = REFERENCE.matcher(value.trim());
    return reference.matches() ? reference.group(1) : null;
  }

  /**
   * The secret: {@code value} itself, or the environment variable it names (null when that is not
   * set; the validator reports it).
   */
  public static String resolve(String value) {
    String variable = variable(value);
    return variable == null ? value : System.getenv(variable);
  }
}
