package io.taxietl.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmptyFoldersTest {
  @TempDir Path work;

  @Test
  void aTreeOfEmptyFoldersGoesWithItsRoot() throws IOException {
    Path staging = work.resolve(".trips-staging");
    Files.createDirectories(staging.resolve("pickup_location=161/year=2019/month=08"));
    Files.createDirectories(staging.resolve("pickup_location=161/year=2023/month=01"));
    Files.createDirectories(staging.resolve(".temp-beam"));

    assertThat(EmptyFolders.remove(staging)).isEqualTo(7);

    assertThat(staging).doesNotExist();
    assertThat(work).exists();
  }

  @Test
  void aFileAndTheFoldersAboveItStay() throws IOException {
    Path staging = work.resolve(".trips-staging");
    Path kept = staging.resolve("pickup_location=161/year=2019/month=08/trips-0-of-1.parquet");
    Files.createDirectories(kept.getParent());
    Files.writeString(kept, "rows", StandardCharsets.UTF_8);
    Files.createDirectories(staging.resolve("pickup_location=161/year=2023/month=01"));
    Path hidden = staging.resolve(".temp-beam/part");
    Files.createDirectories(hidden.getParent());
    Files.writeString(hidden, "half", StandardCharsets.UTF_8);

    assertThat(EmptyFolders.remove(staging)).isEqualTo(2);

    assertThat(kept).hasContent("rows");
    assertThat(hidden).hasContent("half");
    assertThat(staging.resolve("pickup_location=161/year=2023")).doesNotExist();
  }

  @Test
  void aFolderReachedThroughALinkIsNotEntered() throws IOException {
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere/empty"));
    Path staging = Files.createDirectories(work.resolve(".trips-staging"));
    Files.createSymbolicLink(staging.resolve("link"), elsewhere.getParent());

    assertThat(EmptyFolders.remove(staging)).isZero();

    assertThat(elsewhere).isDirectory();
    assertThat(staging.resolve("link")).isSymbolicLink();
  }

  @Test
  void aMissingFolderOrAFileIsLeftAlone() throws IOException {
    Path file = Files.writeString(work.resolve("trips.parquet"), "rows", StandardCharsets.UTF_8);

    assertThat(EmptyFolders.remove(work.resolve("missing"))).isZero();
    assertThat(EmptyFolders.remove(file)).isZero();

    assertThat(file).hasContent("rows");
  }
}
