package io.taxietl.transforms.io.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StagingFoldersTest {
  @Test
  void stagingIsAHiddenSiblingOfThePublishedFolder() {
    assertThat(StagingFolders.siblingOf("output/trips")).isEqualTo("output/.trips-staging");
    assertThat(StagingFolders.siblingOf("/data/lake/trips/"))
        .isEqualTo("/data/lake/.trips-staging");
    assertThat(StagingFolders.siblingOf("trips")).isEqualTo(".trips-staging");
    assertThat(StagingFolders.siblingOf("s3://bucket/etl/trips"))
        .isEqualTo("s3://bucket/etl/.trips-staging");
    assertThat(StagingFolders.siblingOf("s3://bucket/trips/"))
        .isEqualTo("s3://bucket/.trips-staging");
  }

  @Test
  void aBucketRootHasNoSibling() {
    assertThatThrownBy(() -> StagingFolders.siblingOf("s3://bucket/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket root");
    assertThatThrownBy(() -> StagingFolders.siblingOf("/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no folder name");
  }
}
