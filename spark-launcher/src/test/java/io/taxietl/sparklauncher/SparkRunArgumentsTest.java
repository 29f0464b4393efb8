package io.taxietl.sparklauncher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkRunArgumentsTest {
  @Test
  void withNoRunnerOptionsTheRunIsOnSparkOnALocalMasterWithAThreadPerCore() {
    String[] args = SparkRunArguments.withDefaults(new String[] {"--source=FILE"});
    assertThat(args)
        .containsExactly(
            "--runner=SparkRunner",
            "--sparkMaster=local[" + Runtime.getRuntime().availableProcessors() + "]",
            "--source=FILE");
  }

  @Test
  void theUsersRunnerOptionsWin() {
    String[] args =
        SparkRunArguments.withDefaults(
            new String[] {"--sparkMaster=spark://10.0.0.1:7077", "--runner=SparkRunner"});
    assertThat(args).containsExactly("--sparkMaster=spark://10.0.0.1:7077", "--runner=SparkRunner");
    assertThat(SparkRunArguments.sparkMaster(args)).isEqualTo("spark://10.0.0.1:7077");
  }

  @Test
  void kafkasExactlyOnceSinkIsRefusedNamingTheOption() {
    assertThat(SparkRunArguments.problems(new String[] {"--kafkaExactlyOnce=true"}))
        .singleElement()
        .asString()
        .startsWith("--kafkaExactlyOnce=true is not supported on Spark");
    assertThat(SparkRunArguments.problems(new String[] {"--kafkaExactlyOnce"})).hasSize(1);
    assertThat(SparkRunArguments.problems(new String[] {"--kafkaExactlyOnce=false"})).isEmpty();
  }

  @Test
  void localMastersAndMastersOnLoopbackKeepTheDriverOnLoopback() {
    assertThat(SparkRunArguments.isLocal("local[2]")).isTrue();
    assertThat(SparkRunArguments.isLocal("local")).isTrue();
    assertThat(SparkRunArguments.isLocal("spark://127.0.0.1:7077")).isFalse();
    assertThat(SparkRunArguments.isOnLoopback("spark://127.0.0.1:7077")).isTrue();
    assertThat(SparkRunArguments.isOnLoopback("spark://localhost:7077")).isTrue();
    assertThat(SparkRunArguments.isOnLoopback("spark://spark-master.internal:7077")).isFalse();
  }

  @Test
  void theLastValueOfAnOptionCountsAndABareFlagIsTrue() {
    assertThat(SparkRunArguments.value(new String[] {"--a=1", "--a=2"}, "a")).isEqualTo("2");
    assertThat(SparkRunArguments.value(new String[] {"--ab=1"}, "a")).isNull();
    assertThat(SparkRunArguments.value(new String[] {"--a"}, "a")).isEqualTo("true");
  }
}
