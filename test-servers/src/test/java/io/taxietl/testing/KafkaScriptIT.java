package io.taxietl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code scripts/kafka.sh} start, status and stop, as a user runs them. */
class KafkaScriptIT {

  @Test
  void brokerListensOnLoopbackOnlyAndStopLeavesNoProcessBehind() throws IOException {
    long pid;
    int controllerPort;
    try (LocalKafka kafka = new LocalKafka()) {
      kafka.start();
      pid = kafka.pid().orElseThrow();
      controllerPort =
          Integer.parseInt(Files.readString(kafka.dataDir().resolve("controller-port")).trim());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
      assertThat(accepts(InetAddress.getLoopbackAddress(), kafka.port())).isTrue();
      assertThat(accepts(InetAddress.getLoopbackAddress(), controllerPort)).isTrue();
      assertThat(Files.readString(kafka.dataDir().resolve("server.properties")))
          .contains(
              "listeners=PLAINTEXT://127.0.0.1:"
                  + kafka.port()
                  + ",CONTROLLER://127.0.0.1:"
                  + controllerPort)
          .contains("advertised.listeners=PLAINTEXT://127.0.0.1:" + kafka.port());
      for (InetAddress address : nonLoopbackAddresses()) {
        assertThat(accepts(address, kafka.port())).as("broker port on %s", address).isFalse();
        assertThat(accepts(address, controllerPort)).as("controller port on %s", address).isFalse();
      }

      kafka.stop();

      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(processesMentioning(kafka.dataDir().toString())).isEmpty();
      assertThat(accepts(InetAddress.getLoopbackAddress(), kafka.port())).isFalse();
      assertThat(accepts(InetAddress.getLoopbackAddress(), controllerPort)).isFalse();
      assertThat(kafka.dataDir().resolve("kafka.pid")).doesNotExist();
      assertThatThrownBy(() -> kafka.script("status"))
          .hasMessageContaining("exited with 3")
          .hasMessageContaining("Kafka is not running");
      assertThat(kafka.script("stop")).contains("Kafka is not running");
    }
  }

  private static List<ProcessHandle> processesMentioning(String text) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
        .toList();
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(KafkaScriptIT::isUp)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
  }

  private static boolean isUp(NetworkInterface networkInterface) {
    try {
      return networkInterface.isUp();
    } catch (SocketException e) {
      return false;
    }
  }
}
