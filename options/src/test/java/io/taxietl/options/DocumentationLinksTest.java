package io.taxietl.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/*.md leads to a file of the repository, and every
 * {@code #anchor} into a Markdown page to one of its headings (named as GitHub names them). Code
 * that moves breaks the pages that link to it; this test says which. Links with a scheme (https:,
 * mailto:) are not followed.
 */
class DocumentationLinksTest {
  private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+)$");
  private static final Pattern LINK_IN_HEADING = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*:");

  @Test
  void everyRelativeLinkLeadsToAFileAndEveryAnchorToAHeading() throws IOException {
    Path root = Documentation.repositoryRoot().toRealPath();
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : Documentation.pages()) {
      for (String target : relativeLinks(Files.readString(page, StandardCharsets.UTF_8))) {
        links++;
        String where = root.relativize(page) + ": " + target;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path destination = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!destination.startsWith(root)) {
          broken.add(where + " points outside the repository");
        } else if (!Files.exists(destination)) {
          broken.add(where + " names no file");
        } else if (hash >= 0
            && destination.toString().endsWith(".md")
            && !anchors(Files.readString(destination, StandardCharsets.UTF_8))
                .contains(target.substring(hash + 1))) {
          broken.add(where + " names no heading of " + root.relativize(destination));
        }
      }
    }
    assertThat(links).as("relative links found").isGreaterThan(50);
    assertThat(broken).as("broken links in README.md and docs/").isEmpty();
  }

  @Test
  void theIndexLinksEveryPageOfDocs() throws IOException {
    Path docs = Documentation.repositoryRoot().resolve("docs");
    List<String> linked =
        relativeLinks(Files.readString(docs.resolve("README.md"), StandardCharsets.UTF_8));
    for (Path page : Documentation.pages()) {
      if (page.getParent().equals(docs) && !page.getFileName().toString().equals("README.md")) {
        assertThat(linked)
            .as("docs/README.md links %s", page.getFileName())
            .contains(page.getFileName().toString());
      }
    }
  }

  @Test
  void anchorsAreNamedAsGitHubNamesThem() {
    assertThat(
            anchors(
                "# Top\n## [`KafkaSourceOptions`](../x.java)\n## Tests (`mvn verify`)\n## Tests (`mvn verify`)\n"))
        .containsExactlyInAnyOrder(
            "top", "kafkasourceoptions", "tests-mvn-verify", "tests-mvn-verify-1");
    assertThat(
            relativeLinks(
                "[a](a.md) [b](https://x.org) `[c](c.md)`\n```\n[d](d.md)\n```\n[e](e.md#f)"))
        .containsExactly("a.md", "e.md#f");
  }

  /** Link targets without a scheme, outside code blocks and code spans. */
  static List<String> relativeLinks(String markdown) {
    String text = CODE_SPAN.matcher(FENCED_BLOCK.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> targets = new ArrayList<>();
    Matcher link = LINK.matcher(text);
    while (link.find()) {
      if (!SCHEME.matcher(link.group(1)).find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /**
   * The anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats
   * numbered.
   */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher heading = HEADING.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
    while (heading.find()) {
      String text = LINK_IN_HEADING.matcher(heading.group(1).strip()).replaceAll("$1");
      String anchor =
          text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
      int repeat = seen.merge(anchor, 1, Integer::sum) - 1;
      anchors.add(repeat == 0 ? anchor : anchor + "-" + repeat);
    }
    return anchors;
  }
}
