package io.taxietl.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementsTest {
  @Test
  void cpuSecondsAreUserPlusSystemTicksEvenWhenTheCommandNameHasSpaces() {
    String stat =
        "4242 (java main (x)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 0 0";
    assertThat(ChildJob.cpuSeconds(stat)).isEqualTo(18.01);
  }

  @Test
  void aThreadsNameIsTheCommandBetweenTheParentheses() {
    assertThat(ChildJob.threadName("4243 (C2 CompilerThre) S 1 4242 4242 0 -1 0 0 0 0 0 700 20"))
        .isEqualTo("C2 CompilerThre");
  }

  @Test
  void peakRssIsVmHwmInBytes() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100000 kB\n";
    assertThat(ChildJob.peakRssBytes(status)).isEqualTo(123_456L * 1024);
  }

  @Test
  void machineBusyTimeIsUserNiceSystemIrqAndSoftirqOfTheCpuLine() {
    String stat =
        "cpu  1000 20 300 99999 55 6 7 8 0 0\ncpu0 500 10 150 50000 20 3 3 4 0 0\nintr 1 2 3\n";
    assertThat(ChildJob.machineBusySeconds(stat)).isEqualTo(13.33);
  }

  @Test
  void heapSizesAreReadLikeXmx() {
    assertThat(KafkaToParquetBenchmark.heapBytes("2g")).isEqualTo(2L << 30);
    assertThat(KafkaToParquetBenchmark.heapBytes("1536m")).isEqualTo(1536L << 20);
    assertThat(KafkaToParquetBenchmark.heapBytes("4096k")).isEqualTo(4096L << 10);
  }

  @Test
  void latencyPercentilesWeighEachFileByItsRows() {
    List<CommittedOutput.SeenFile> files =
        List.of(
            new CommittedOutput.SeenFile(true, 90, 900, 11_000),
            new CommittedOutput.SeenFile(true, 9, 90, 20_000),
            new CommittedOutput.SeenFile(true, 1, 10, 60_000));
    assertThat(KafkaToParquetBenchmark.percentile(files, 10_000, 0.50)).isEqualTo(1.0);
    assertThat(KafkaToParquetBenchmark.percentile(files, 10_000, 0.99)).isEqualTo(10.0);
    assertThat(KafkaToParquetBenchmark.percentile(files, 10_000, 1.0)).isEqualTo(50.0);
  }

  @Test
  void latencyQuantilesAreTheRankedValueInSeconds() {
    List<Long> millis = List.of(100L, 200L, 300L, 400L, 1000L);
    assertThat(SteadyLatencyBenchmark.quantile(millis, 0.5)).isEqualTo(0.3);
    assertThat(SteadyLatencyBenchmark.quantile(millis, 0.99)).isEqualTo(1.0);
    assertThat(SteadyLatencyBenchmark.quantile(List.of(), 0.5)).isNaN();
  }

  @Test
  void anExtraOptionForOursReplacesTheHarnessValueOfTheSameOption() {
    assertThat(JobKind.sameOption("--checkpointingInterval=5000", "--checkpointingInterval=2000"))
        .isTrue();
    assertThat(JobKind.sameOption("--checkpointingInterval=5000", "--checkpointingIntervalX=1"))
        .isFalse();
    assertThat(JobKind.sameOption("--numShards=1", "--checkpointingInterval=2000")).isFalse();
  }
}
