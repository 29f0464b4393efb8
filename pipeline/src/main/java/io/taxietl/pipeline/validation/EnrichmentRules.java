package io.taxietl.pipeline.validation;

import io.taxietl.options.EnrichmentOptions;
import io.taxietl.transforms.enrich.ZoneLookup;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The rules of {@link EnrichmentOptions}: a {@code --zoneLookupPath} that names one readable zone
 * lookup CSV. Reads it through Beam's file systems, which must be set up for the options first.
 */
final class EnrichmentRules {
  private EnrichmentRules() {}

  static void check(EnrichmentOptions options, Problems problems) {
    String path = options.getZoneLookupPath();
    if (path == null) {
      return;
    }
    if (path.isBlank()) {
      problems.add("--zoneLookupPath is empty: name a zone lookup CSV, or leave it out");
      return;
    }
    try {
      ZoneLookup.read(path);
    } catch (FileNotFoundException e) {
      problems.add("--zoneLookupPath=" + path + " does not exist");
    } catch (IOException e) {
      problems.add("--zoneLookupPath=" + path + " cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      problems.add("--zoneLookupPath=" + path + " is not a zone lookup: " + e.getMessage());
    }
  }
}
