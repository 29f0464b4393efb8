package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own checks, on top of the validator's (see OptionsValidatorTest). */
class StreamingEtlMainTest {
  @TempDir Path folder;

  @Test
  void theMainReportsLocalRunPortsOnAnotherRunner() throws IOException {
    Path input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
    String[] args = {
      "--inputPath=" + input,
      "--outputPath=" + folder.resolve("trips"),
      "--deadLetterPath=" + folder.resolve("dead"),
      "--runner=DirectRunner",
      "--flinkWebUiPort=8081"
    };
    assertThat(
            assertThrows(
                    StreamingEtlMain.InvalidOptionsException.class,
                    () -> StreamingEtlMain.parseOptions(args, System.out))
                .problems())
        .singleElement()
        .asString()
        .startsWith("--flinkWebUiPort=8081 apply to an embedded-Flink run only");
  }
}
