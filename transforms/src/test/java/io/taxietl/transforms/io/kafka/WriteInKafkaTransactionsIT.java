package io.taxietl.transforms.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taxietl.testing.LocalKafka;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transactional writer of one shard of the exactly-once Kafka sink against a real broker: what
 * a new attempt (after a failure) reads back from the shard's consumer group decides which batches
 * it skips, and a group that another job wrote to is refused.
 */
class WriteInKafkaTransactionsIT {
  @RegisterExtension static final LocalKafka KAFKA = new LocalKafka();

  private static WriteInKafkaTransactions.ShardProducer open(
      String topic, String sinkGroup, int shard) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return WriteInKafkaTransactions.ShardProducer.open(
        topic, config, new HashMap<>(), sinkGroup, shard);
  }

  private static TransactionBatch batch(String writer, long sequence, String... values) {
    return new TransactionBatch(
        writer,
        sequence,
        Arrays.stream(values).map(v -> KV.of("k-" + v, v)).collect(Collectors.toList()));
  }

  private static List<String> committedValues(String topic) {
    return KAFKA.readAll(topic).stream()
        .map(r -> LocalKafka.utf8(r.value()))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void aNewAttemptSkipsTheBatchesAnEarlierOneCommittedAndWritesTheNext() {
    KAFKA.createTopic("tx-replay", 2);
    WriteInKafkaTransactions.ShardProducer first = open("tx-replay", "tx-replay-sink", 0);
    first.check(batch("w1", 0), -1);
    first.commit(batch("w1", 0, "a", "b"));
    first.commit(batch("w1", 1, "c"));
    first.close();

    WriteInKafkaTransactions.ShardProducer again = open("tx-replay", "tx-replay-sink", 0);
    assertThat(again.committedSequence()).isEqualTo(1);
    again.check(batch("w1", 0, "a", "b"), -1);
    again.check(batch("w1", 2, "d"), 0);
    again.commit(batch("w1", 2, "d"));
    again.close();

    assertThat(committedValues("tx-replay")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aGroupWrittenByAnotherWriterIsRefusedNamingTheOption() {
    KAFKA.createTopic("tx-foreign", 1);
    WriteInKafkaTransactions.ShardProducer earlier = open("tx-foreign", "tx-foreign-sink", 1);
    earlier.commit(batch("job-1", 0, "a"));
    earlier.close();

    WriteInKafkaTransactions.ShardProducer later = open("tx-foreign", "tx-foreign-sink", 1);
    assertThatThrownBy(() -> later.check(batch("job-2", 0, "x"), -1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tx-foreign-sink-1")
        .hasMessageContaining("--kafkaExactlyOnceSinkGroup");
    later.close();
  }

  @Test
  void aMissingBatchOrLostProgressIsRefused() {
    KAFKA.createTopic("tx-gap", 1);
    WriteInKafkaTransactions.ShardProducer writer = open("tx-gap", "tx-gap-sink", 0);
    writer.commit(batch("w", 0, "a"));
    assertThatThrownBy(() -> writer.check(batch("w", 2, "c"), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("got batch 2 but the last batch written is 0");
    assertThatThrownBy(() -> writer.check(batch("w", 1, "b"), 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("this job has committed batch 5");
    writer.close();
    assertThat(committedValues("tx-gap")).containsExactly("a");
  }
}
