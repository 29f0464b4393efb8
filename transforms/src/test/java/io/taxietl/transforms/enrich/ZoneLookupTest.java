package io.taxietl.transforms.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLC zone lookup as the TLC publishes it, and the variations of it a user may give. */
class ZoneLookupTest {
  @TempDir Path folder;

  @Test
  void theBundledTableIsTheTlcsWithAll265Locations() {
    ZoneLookup zones = ZoneLookup.bundled();
    assertThat(zones.size()).isEqualTo(265);
    assertThat(zones.borough(1)).isEqualTo("EWR");
    assertThat(zones.zone(1)).isEqualTo("Newark Airport");
    assertThat(zones.borough(239)).isEqualTo("Manhattan");
    assertThat(zones.zone(239)).isEqualTo("Upper West Side South");
    assertThat(zones.zone(132)).isEqualTo("JFK Airport");
    assertThat(zones.zone(84)).isEqualTo("Eltingville/Annadale/Prince's Bay");
    // The TLC's own "unknown" rows are rows like any other.
    assertThat(zones.borough(264)).isEqualTo("Unknown");
    assertThat(zones.zone(265)).isEqualTo("NA");
    for (int id = 1; id <= 265; id++) {
      assertThat(zones.knows(id)).as("location %d", id).isTrue();
      assertThat(zones.borough(id)).as("borough of %d", id).isNotBlank();
    }
    assertThat(zones.knows(0)).isFalse();
    assertThat(zones.knows(266)).isFalse();
    assertThat(zones.borough(266)).isNull();
    assertThat(zones.zone(-1)).isNull();
  }

  @Test
  void aPlainFileWithQuotesCommasCrlfAByteOrderMarkAndLowerCaseHeaderReads() throws IOException {
    String csv =
        "\uFEFFservice_zone,zone,LOCATIONID,borough\r\n"
            + "\"Yellow Zone\",\"Hudson Yards, West\",300,Manhattan\r\n"
            + "\r\n"
            + "Boro Zone,\"The \"\"Hook\"\"\",  7 ,\r\n";
    Path file = Files.writeString(folder.resolve("zones.csv"), csv, UTF_8);

    ZoneLookup zones = ZoneLookup.read(file.toString());

    assertThat(zones.size()).isEqualTo(2);
    assertThat(zones.zone(300)).isEqualTo("Hudson Yards, West");
    assertThat(zones.borough(300)).isEqualTo("Manhattan");
    assertThat(zones.zone(7)).isEqualTo("The \"Hook\"");
    assertThat(zones.borough(7)).as("an empty value is null").isNull();
    assertThat(zones.knows(7)).isTrue();
    assertThat(zones.knows(239)).isFalse();
    assertThat(zones.source()).isEqualTo(file.toString());
  }

  @Test
  void aGzippedFileIsToldByItsContent() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("LocationID,Borough,Zone\n5,Staten Island,Arden Heights\n".getBytes(UTF_8));
    }
    Path file = Files.write(folder.resolve("zones.data"), gz.toByteArray());
    assertThat(ZoneLookup.read(file.toString()).zone(5)).isEqualTo("Arden Heights");
  }

  @Test
  void whatIsNotAZoneLookupIsRefusedNamingTheLineAndWhy() {
    assertThat(problem("")).isEqualTo("t.csv is empty: expected a zone lookup CSV");
    assertThat(problem("LocationID,Borough\n1,EWR\n"))
        .isEqualTo(
            "t.csv: the header [LocationID, Borough] has no column zone (a zone lookup needs"
                + " LocationID, Borough and Zone)");
    assertThat(problem("LocationID,Borough,Zone\n"))
        .isEqualTo("t.csv has a header but no locations");
    assertThat(problem("LocationID,Borough,Zone\n1,EWR,Newark Airport\nx,Queens,Jamaica\n"))
        .isEqualTo("t.csv line 3: LocationID 'x' is not a whole number");
    assertThat(problem("LocationID,Borough,Zone\n0,EWR,Newark Airport\n"))
        .isEqualTo("t.csv line 2: LocationID 0 is outside 1..100000");
    assertThat(problem("LocationID,Borough,Zone\n1,EWR,Newark\n2,Queens\n"))
        .isEqualTo("t.csv line 3: 2 columns, expected 3");
    assertThat(problem("LocationID,Borough,Zone\n1,EWR,Newark\n1,EWR,Newark Airport\n"))
        .isEqualTo("t.csv line 3: location id 1 appears twice");
  }

  @Test
  void aMissingFileIsAFileNotFoundException() {
    assertThatThrownBy(() -> ZoneLookup.read(folder.resolve("none.csv").toString()))
        .isInstanceOf(FileNotFoundException.class);
  }

  private static String problem(String csv) {
    try {
      ZoneLookup.parse(new ByteArrayInputStream(csv.getBytes(UTF_8)), "t.csv");
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + csv);
  }
}
