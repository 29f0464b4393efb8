package io.taxietl.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/options.md} says what the code says: it is generated from the options' annotations by
 * {@link OptionsReference}, and this test fails when it is stale. With {@code -Ddocs.update=true}
 * it rewrites the page instead.
 */
class OptionsReferenceTest {

  @Test
  void theOptionsPageIsTheOneTheOptionsDescriptionsGenerate() throws IOException {
    Path page = Documentation.repositoryRoot().resolve(OptionsReference.PAGE);
    String generated = OptionsReference.render();
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(page, generated, StandardCharsets.UTF_8);
    }
    String committed =
        Files.isRegularFile(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
    if (!committed.equals(generated)) {
      fail(
          "%s is stale: it must say what the options' @Description and @Default annotations say.%n%s%n"
              + "Regenerate it with%n  %s%nand commit the result.",
          OptionsReference.PAGE,
          firstDifference(committed, generated),
          OptionsReference.REGENERATE);
    }
  }

  @Test
  void everyOptionOfEveryGroupIsOnThePage() {
    String page = OptionsReference.render();
    for (Class<?> group : StreamingEtlOptions.class.getInterfaces()) {
      assertThat(page).contains("## [`" + group.getSimpleName() + "`]");
      for (var method : group.getDeclaredMethods()) {
        if (method.getName().startsWith("get") && method.getParameterCount() == 0) {
          String option =
              method.getName().substring(3, 4).toLowerCase() + method.getName().substring(4);
          assertThat(page)
              .as("the page shows --%s of %s", option, group.getSimpleName())
              .contains("| `--" + option + "` | `" + method.getName().substring(3) + "` |");
        }
      }
    }
    assertThat(page)
        .contains("| `--source` | `Source` | `FILE`, `KAFKA`, `KINESIS` | `FILE` |")
        .contains("| `--windowSizeSeconds` | `WindowSizeSeconds` | int | `60` |")
        .contains("Secret: never serialised with the options.")
        .doesNotContain("`--jobName`");
  }

  @Test
  void beamsLowerUnderscoreNamesBecomeTheCommandLinesLowerCamel() {
    assertThat(OptionDescriptions.lowerCamel("s3_path_style_access"))
        .isEqualTo("s3PathStyleAccess");
    assertThat(OptionDescriptions.lowerCamel("get_records_interval_millis"))
        .isEqualTo("getRecordsIntervalMillis");
    assertThat(OptionDescriptions.upperCamel("inputKafkaTopic")).isEqualTo("InputKafkaTopic");
  }

  /** The first line where the page and the generated text differ, both versions. */
  private static String firstDifference(String committed, String generated) {
    List<String> have = committed.lines().toList();
    List<String> want = generated.lines().toList();
    int line = 0;
    while (line < have.size() && line < want.size() && have.get(line).equals(want.get(line))) {
      line++;
    }
    return String.format(
        "First difference at line %d:%n  the page:  %s%n  generated: %s",
        line + 1,
        line < have.size() ? have.get(line) : "(end of page)",
        line < want.size() ? want.get(line) : "(end of text)");
  }
}
