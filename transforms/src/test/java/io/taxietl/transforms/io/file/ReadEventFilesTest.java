package io.taxietl.transforms.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.RawEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadEventFilesTest {
  @TempDir Path folder;

  @Test
  void readsPlainAndGzipLinesWithTheirNumbersSkippingBlankLines() throws IOException {
    Path plain = folder.resolve("a.jsonl");
    Files.write(
        plain, "first\r\n\n   \nfourth\nlast without newline".getBytes(StandardCharsets.UTF_8));
    Path gzip = folder.resolve("b.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(new byte[] {'x', (byte) 0xff, '\n', '\n', 'y', '\n'});
    }

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RawEvent> events = pipeline.apply(ReadEventFiles.from(folder + "/*"));
    PAssert.that(events)
        .satisfies(
            read -> {
              List<String> described = new ArrayList<>();
              for (RawEvent event : read) {
                byte[] payload = new byte[event.getPayload().remaining()];
                event.getPayload().duplicate().get(payload);
                String file = Path.of(event.getOrigin().getFile()).getFileName().toString();
                described.add(
                    file
                        + ":"
                        + event.getOrigin().getLineNumber()
                        + ":"
                        + new String(payload, StandardCharsets.ISO_8859_1));
                assertThat(event.getOrigin().getSource()).isEqualTo("file");
              }
              assertThat(described)
                  .containsExactlyInAnyOrder(
                      "a.jsonl:1:first",
                      "a.jsonl:4:fourth",
                      "a.jsonl:5:last without newline",
                      "b.jsonl.gz:1:x\u00ff",
                      "b.jsonl.gz:3:y");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
