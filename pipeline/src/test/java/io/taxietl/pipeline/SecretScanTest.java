package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {
  private static final String PASSWORD = "Zq7xPw3kLm9vRt2s";
  private static final String OTHER = "h4Jk8nB2cV6xM1qa";

  @Test
  void aSecretFoundFailsNamingItAndWhereButNeverShowingIt() {
    SecretScan scan =
        new SecretScan()
            .secret("SCRAM password", PASSWORD)
            .secret("trust store password", OTHER)
            .text("the console", "clean")
            .text("Flink REST /jobs/1/config", "{\"user-config\":{\"pw\":\"" + PASSWORD + "\"}}");

    assertThatThrownBy(scan::assertNoSecret)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "the SCRAM password appears in Flink REST /jobs/1/config at character")
        .hasMessageContaining("\"pw\":\"<SCRAM password>\"")
        .hasMessageNotContaining(PASSWORD)
        .hasMessageNotContaining("the console");
  }

  @Test
  void aSecretCutByTheEdgeOfTheContextIsMaskedToo() {
    // 60 characters either side of OTHER reach 9 characters into the first PASSWORD and 10 into
    // the second.
    String text = PASSWORD + "x".repeat(51) + OTHER + "x".repeat(50) + PASSWORD;
    SecretScan scan =
        new SecretScan().secret("password", PASSWORD).secret("other", OTHER).text("log", text);

    assertThatThrownBy(scan::assertNoSecret)
        .hasMessageContaining("<other>")
        .hasMessageContaining("<...>" + "x".repeat(51) + "<other>" + "x".repeat(50) + "<...>")
        .hasMessageNotContaining(PASSWORD.substring(7))
        .hasMessageNotContaining(PASSWORD.substring(0, 10));
  }

  @Test
  void filesAreScannedByteForByte(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("server.log"), ("\0\1binary " + PASSWORD).getBytes("ISO-8859-1"));
    Files.writeString(dir.resolve("data.bin"), PASSWORD);
    SecretScan scan =
        new SecretScan()
            .secret("password", PASSWORD)
            .files(dir, f -> f.toString().endsWith(".log"));

    assertThat(scan.sources()).isEqualTo(1);
    assertThatThrownBy(scan::assertNoSecret).hasMessageContaining("server.log");
  }

  @Test
  void cleanSourcesPassAndAnEmptyScanFails() {
    assertThatCode(() -> new SecretScan().secret("p", PASSWORD).text("a", "b").assertNoSecret())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> new SecretScan().secret("p", PASSWORD).assertNoSecret())
        .hasMessageStartingWith("nothing to scan");
    assertThatThrownBy(() -> new SecretScan().secret("p", "short"))
        .hasMessageContaining("too short");
  }
}
