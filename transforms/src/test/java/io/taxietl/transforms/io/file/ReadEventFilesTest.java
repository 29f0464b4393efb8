package io.taxietl.transforms.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.RawEvent;
import io.taxietl.transforms.event.EventSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
                String file = Path.of(event.getOrigin().getFile()).getFileName().toString();
                described.add(
                    file
                        + ":"
                        + event.getOrigin().getLineNumber()
                        + ":"
                        + new String(payload(event), StandardCharsets.ISO_8859_1));
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

  @Test
  void aFolderIsReadWithItsSubFoldersAndWithoutItsHiddenFiles() throws IOException {
    Files.createDirectories(folder.resolve("in/2019/03"));
    Files.createDirectories(folder.resolve("in/_temporary"));
    Files.writeString(folder.resolve("in/a.jsonl"), "a1\na2\n");
    Files.writeString(folder.resolve("in/2019/03/b.jsonl"), "b1\n");
    Files.writeString(folder.resolve("in/_SUCCESS"), "not an event\n");
    Files.writeString(folder.resolve("in/.a.jsonl.crc"), "not an event\n");
    Files.writeString(folder.resolve("in/_temporary/c.jsonl"), "not an event\n");

    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<RawEvent> events =
        pipeline.apply(ReadEventFiles.from(folder.resolve("in").toString()));
    PAssert.that(events)
        .satisfies(
            read -> {
              List<String> described = new ArrayList<>();
              for (RawEvent event : read) {
                described.add(new String(payload(event), StandardCharsets.UTF_8));
              }
              assertThat(described).containsExactlyInAnyOrder("a1", "a2", "b1");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLineOverTheEventSizeLimitIsKeptOnlyJustOverItAndTheNextLineFollows() throws IOException {
    byte[] big = new byte[3 * EventSize.MAX_BYTES];
    Arrays.fill(big, (byte) 'x');
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write("first\n".getBytes(StandardCharsets.UTF_8));
    file.write(big);
    file.write("\r\nlast\r\n".getBytes(StandardCharsets.UTF_8));
    ReadEventFiles.LineReader lines =
        new ReadEventFiles.LineReader(new ByteArrayInputStream(file.toByteArray()));

    assertThat(lines.next()).asString(StandardCharsets.UTF_8).isEqualTo("first");
    byte[] cut = lines.next();
    assertThat(cut).hasSize(EventSize.MAX_BYTES + 1).containsOnly('x');
    assertThat(lines.lineNumber()).isEqualTo(2);
    assertThat(lines.next()).asString(StandardCharsets.UTF_8).isEqualTo("last");
    assertThat(lines.lineNumber()).isEqualTo(3);
    assertThat(lines.next()).isNull();
  }

  @Test
  void linesAreTheSameWhateverTheChunksTheStreamDelivers() throws IOException {
    byte[] file = "one\r\n\ntwo\nthree\r\nlast without newline".getBytes(StandardCharsets.UTF_8);
    // At most three bytes per read: terminators and CR LF pairs fall across chunk boundaries.
    ReadEventFiles.LineReader lines =
        new ReadEventFiles.LineReader(
            new FilterInputStream(new ByteArrayInputStream(file)) {
              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 3));
              }
            });

    List<String> read = new ArrayList<>();
    for (byte[] line = lines.next(); line != null; line = lines.next()) {
      read.add(new String(line, StandardCharsets.UTF_8));
    }

    assertThat(read).containsExactly("one", "", "two", "three", "last without newline");
    assertThat(lines.lineNumber()).isEqualTo(5);
    assertThat(lines.next()).isNull();
  }

  private static byte[] payload(RawEvent event) {
    byte[] payload = new byte[event.getPayload().remaining()];
    event.getPayload().duplicate().get(payload);
    return payload;
  }
}
