package io.taxietl.pipeline.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.StreamingEtlPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --zoneLookupPath}: a readable zone lookup, or a problem naming the option and value. */
class EnrichmentRulesTest {
  @TempDir Path folder;

  @Test
  void noPathMeansTheBundledTableAndAGoodFileIsAccepted() throws IOException {
    assertThat(problems()).isEmpty();
    Path table =
        Files.writeString(
            folder.resolve("zones.csv"), "LocationID,Borough,Zone\n1,EWR,Newark Airport\n");
    assertThat(problems("--zoneLookupPath=" + table)).isEmpty();
  }

  @Test
  void aMissingEmptyOrWrongFileIsAProblemNamingTheOptionAndValue() throws IOException {
    Path missing = folder.resolve("missing.csv");
    assertThat(problems("--zoneLookupPath=" + missing))
        .containsExactly("--zoneLookupPath=" + missing + " does not exist");
    assertThat(problems("--zoneLookupPath= "))
        .containsExactly("--zoneLookupPath is empty: name a zone lookup CSV, or leave it out");
    Path trips = Files.writeString(folder.resolve("trips.csv"), "vendor_id,trip_distance\n1,2.5\n");
    assertThat(problems("--zoneLookupPath=" + trips))
        .containsExactly(
            "--zoneLookupPath="
                + trips
                + " is not a zone lookup: "
                + trips
                + ": the header [vendor_id, trip_distance] has no column locationid (a zone lookup"
                + " needs LocationID, Borough and Zone)");
  }

  private List<String> problems(String... extra) throws IOException {
    Path input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
    String[] args = new String[extra.length + 3];
    args[0] = "--inputPath=" + input;
    args[1] = "--outputPath=" + folder.resolve("trips");
    args[2] = "--deadLetterPath=" + folder.resolve("dead");
    System.arraycopy(extra, 0, args, 3, extra.length);
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    StreamingEtlOptions options =
        PipelineOptionsFactory.fromArgs(args).as(StreamingEtlOptions.class);
    StreamingEtlPipeline.setUpFileSystems(options);
    return OptionsValidator.validate(options);
  }
}
