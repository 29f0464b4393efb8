package io.taxietl.transforms.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class TransactionBatchTest {
  @Test
  void theCoderKeepsWriterSequenceAndEveryRecordIncludingNullKeys() throws Exception {
    TransactionBatch batch =
        new TransactionBatch(
            "writer-1", 41, Arrays.asList(KV.of("7", "{\"trip_id\":7}"), KV.of(null, "{}")));
    TransactionBatch.Coder coder = new TransactionBatch.Coder();

    TransactionBatch decoded =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, batch));

    assertThat(decoded.writerId()).isEqualTo("writer-1");
    assertThat(decoded.sequence()).isEqualTo(41);
    assertThat(decoded.records()).containsExactly(KV.of("7", "{\"trip_id\":7}"), KV.of(null, "{}"));
  }
}
