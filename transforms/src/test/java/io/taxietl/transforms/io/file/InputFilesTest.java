package io.taxietl.transforms.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder is read with its sub-folders; hidden files are skipped unless named on their own. */
class InputFilesTest {
  @TempDir Path work;
  private Path events;

  @BeforeEach
  void layOutAFolderOfEventFiles() throws IOException {
    events = work.resolve("events");
    Files.createDirectories(events.resolve("2019/03"));
    Files.createDirectories(events.resolve("_temporary/0"));
    Files.createDirectories(events.resolve(".staging"));
    Files.writeString(events.resolve("a.jsonl"), "{}\n");
    Files.writeString(events.resolve("2019/03/b.jsonl.gz"), "");
    Files.writeString(events.resolve("_SUCCESS"), "");
    Files.writeString(events.resolve(".a.jsonl.crc"), "x");
    Files.writeString(events.resolve("2019/03/_SUCCESS"), "");
    Files.writeString(events.resolve("_temporary/0/part-0.jsonl"), "{}\n");
    Files.writeString(events.resolve(".staging/c.jsonl"), "{}\n");
  }

  @Test
  void aFolderStandsForEveryFileBelowItExceptHiddenOnes() throws IOException {
    InputFiles files = InputFiles.of(events.toString());

    assertThat(files.isFolder()).isTrue();
    assertThat(names(files.list())).containsExactlyInAnyOrder("a.jsonl", "2019/03/b.jsonl.gz");
    assertThat(names(InputFiles.of(events + "/").list()))
        .containsExactlyInAnyOrder("a.jsonl", "2019/03/b.jsonl.gz");
  }

  @Test
  void aGlobSkipsHiddenNamesAndAFileNamedOnItsOwnIsAlwaysRead() throws IOException {
    assertThat(names(InputFiles.of(events + "/*").list())).containsExactly("a.jsonl");

    InputFiles hiddenButNamed = InputFiles.of(events.resolve("_SUCCESS").toString());
    assertThat(hiddenButNamed.isFolder()).isFalse();
    assertThat(names(hiddenButNamed.list())).containsExactly("_SUCCESS");
  }

  @Test
  void aMissingPathIsNeitherFolderNorFiles() throws IOException {
    InputFiles missing = InputFiles.of(work.resolve("missing").toString());
    assertThat(missing.isFolder()).isFalse();
    assertThat(missing.list()).isEmpty();
  }

  @Test
  void aPathEndingInASlashIsAFolderAsAnObjectStorePrefixIs() {
    InputFiles prefix = InputFiles.of(work.resolve("no-object-yet") + "/");
    assertThat(prefix.isFolder()).isTrue();
    assertThat(prefix.pattern()).isEqualTo(work.resolve("no-object-yet") + "/**");
  }

  @Test
  void hiddenIsDecidedByTheNameAndTheFoldersBelowTheNamedOne() {
    assertThat(InputFiles.isHidden("/data/_in/events/a.jsonl", "/data/_in/", true)).isFalse();
    assertThat(InputFiles.isHidden("/data/_in/x/_tmp/a.jsonl", "/data/_in/", true)).isTrue();
    assertThat(InputFiles.isHidden("s3://b/in/.a.crc", null, true)).isTrue();
    assertThat(InputFiles.isHidden("s3://b/in/.a.crc", null, false)).isFalse();
  }

  private List<String> names(List<MatchResult.Metadata> files) {
    return files.stream()
        .map(file -> events.relativize(Path.of(file.resourceId().toString())).toString())
        .toList();
  }
}
