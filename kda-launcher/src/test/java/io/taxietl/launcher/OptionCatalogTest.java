package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** What Beam's description of the launcher's options yields. */
class OptionCatalogTest {
  private final OptionCatalog catalog = new OptionCatalog(LauncherOptions.class);

  @Test
  void everyGetterOfTheOptionsIsAnOption() {
    for (Method getter : LauncherOptions.class.getMethods()) {
      String name = getter.getName();
      boolean isGetter =
          getter.getParameterCount() == 0
              && !getter.isDefault()
              && !Modifier.isStatic(getter.getModifiers())
              && name.startsWith("get")
              && !name.equals("getClass");
      if (isGetter) {
        assertThat(catalog.has(Introspector.decapitalize(name.substring(3))))
            .as("option of %s", getter)
            .isTrue();
      }
    }
  }

  @Test
  void theBeamGroupHasThePipelinesOptionsAndTheListedRunnerOptions() {
    assertThat(catalog.beamGroupOptions())
        .contains("inputKafkaTopic", "s3Endpoint", "getRecordsIntervalMillis", "flinkWebUiPort")
        .containsAll(PropertyGroupMapping.RUNNER_OPTIONS)
        .doesNotContain("runner", "flinkMaster", "filesToStage", "tempLocation", "optionsId");
  }

  @Test
  void namesTheTypeProblemOfAValue() {
    assertThat(catalog.typeProblem("windowSizeSeconds", "30")).isNull();
    assertThat(catalog.typeProblem("windowSizeSeconds", "soon"))
        .isEqualTo("expected a whole number from -2147483648 to 2147483647");
    // The same words as the command line's (OptionValues); the key and value are added by the
    // caller.
    assertThat(catalog.typeProblem("source", "FTP"))
        .isEqualTo("expected one of FILE, KAFKA, KINESIS");
  }

  @Test
  void keysAreUpperCamelOptionNames() {
    assertThat(OptionCatalog.key("s3Endpoint")).isEqualTo("S3Endpoint");
    assertThat(OptionCatalog.option("S3Endpoint")).isEqualTo("s3Endpoint");
    assertThat(catalog.suggestion("s3endpoint"))
        .isEqualTo(" (did you mean BeamApplicationProperties.S3Endpoint?)");
    assertThat(catalog.suggestion("Colour")).isEmpty();
  }
}
