package io.taxietl.pipeline.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The sample of real TLC trips shipped inside the jar, for runs that name no input. */
public final class BundledSample {
  static final String RESOURCE = "/sample/taxi-trips-sample.jsonl.gz";

  private BundledSample() {}

  /** Copies the sample to a temporary file that is deleted when the JVM exits, and returns it. */
  public static Path extract() {
    try (InputStream in = BundledSample.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled sample " + RESOURCE + " is missing from the jar");
      }
      Path file = Files.createTempFile("taxi-trips-sample-", ".jsonl.gz");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled sample", e);
    }
  }
}
