package io.taxietl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/kinesis.sh} and {@code scripts/s3.sh} as a user runs them: every socket the
 * servers listen on is bound to 127.0.0.1 (read from the kernel's socket tables, without sending
 * anything), status answers, and stop leaves no process behind.
 */
class AwsServerScriptsIT {
  private static final String LOOPBACK_V4 = "0100007F";
  private static final String LOOPBACK_V4_MAPPED = "0000000000000000FFFF00000100007F";

  @Test
  void kinesaliteListensOnLoopbackOnlyAndStopsWithItsProcess() throws IOException {
    try (LocalKinesis kinesis = new LocalKinesis()) {
      kinesis.start();
      long pid = pid(kinesis.dataDir().resolve("kinesis.pid"));
      assertThat(listeningAddresses(kinesis.port()))
          .isNotEmpty()
          .allMatch(AwsServerScriptsIT::isLoopback);
      assertThat(kinesis.runScript(List.of("status", "--dir", kinesis.dataDir().toString())))
          .contains("kinesalite is running on 127.0.0.1:" + kinesis.port());
      kinesis.createStream("scripted", 2);
      assertThat(kinesis.openShards("scripted")).hasSize(2);
      kinesis.createStream("scripted", 2);

      kinesis.stop();

      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(listeningAddresses(kinesis.port())).isEmpty();
    }
  }

  @Test
  void s3MockListensOnLoopbackOnlyOnBothConnectorsAndStopsWithItsProcess() throws IOException {
    try (LocalS3 s3 = new LocalS3()) {
      s3.start();
      long pid = pid(s3.dataDir().resolve("s3.pid"));
      List<String> all = listeningAddressesOf(pid);
      assertThat(all)
          .as("S3Mock's HTTP and HTTPS connectors")
          .hasSizeGreaterThanOrEqualTo(2)
          .allMatch(AwsServerScriptsIT::isLoopback);
      assertThat(listeningAddresses(s3.port())).isNotEmpty();
      s3.createBucket("scripted");
      s3.createBucket("scripted");
      assertThat(s3.keys("scripted", "")).isEmpty();

      s3.stop();

      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  private static long pid(Path pidFile) throws IOException {
    return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
  }

  private static boolean isLoopback(String address) {
    return address.equals(LOOPBACK_V4) || address.equals(LOOPBACK_V4_MAPPED);
  }

  /** The hex local addresses of the listening TCP sockets on {@code port}, IPv4 and IPv6. */
  private static List<String> listeningAddresses(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<String> addresses = new ArrayList<>();
    for (String[] socket : listeningSockets()) {
      if (socket[1].equals(hexPort)) {
        addresses.add(socket[0]);
      }
    }
    return addresses;
  }

  /** The hex local addresses of the listening TCP sockets that process {@code pid} holds. */
  private static List<String> listeningAddressesOf(long pid) throws IOException {
    List<String> inodes = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // the descriptor closed meanwhile
        }
      }
    }
    List<String> addresses = new ArrayList<>();
    for (String[] socket : listeningSockets()) {
      if (inodes.contains(socket[2])) {
        addresses.add(socket[0]);
      }
    }
    return addresses;
  }

  /** Listening sockets from /proc/net/tcp and tcp6: {address hex, port hex, inode}. */
  private static List<String[]> listeningSockets() throws IOException {
    List<String[]> sockets = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals("0A")) {
          String[] local = fields[1].split(":");
          sockets.add(new String[] {local[0], local[1], fields[9]});
        }
      }
    }
    return sockets;
  }
}
