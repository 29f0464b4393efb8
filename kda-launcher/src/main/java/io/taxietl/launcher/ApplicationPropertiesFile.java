package io.taxietl.launcher;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads application property groups in the managed service's format: a JSON array of {@code
 * {"PropertyGroupId": "...", "PropertyMap": {"Key": "value", ...}}}. On the service that file is
 * {@value #SERVICE_FILE}, written from the application's configuration; elsewhere a file of the
 * same format is named on the command line.
 */
final class ApplicationPropertiesFile {
  /** Where the managed service puts the application's properties. */
  static final String SERVICE_FILE = "/etc/flink/application_properties.json";

  private ApplicationPropertiesFile() {}

  /**
   * The groups of the managed service's own file; none when it has no file (not on the service).
   */
  static Map<String, Properties> fromService() throws IOException {
    return KinesisAnalyticsRuntime.getApplicationProperties();
  }

  /** The groups of {@code file}; fails naming the file when it is missing or not valid. */
  static Map<String, Properties> fromFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidApplicationPropertiesException(
          List.of("--" + LaunchArguments.PROPERTIES_FILE_OPTION + "=" + file + ": no such file"));
    }
    try {
      return KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
    } catch (IOException | RuntimeException e) {
      throw new InvalidApplicationPropertiesException(
          List.of(
              "--"
                  + LaunchArguments.PROPERTIES_FILE_OPTION
                  + "="
                  + file
                  + " is not a property-group file in the managed service's format: "
                  + e.getMessage()));
    }
  }
}
