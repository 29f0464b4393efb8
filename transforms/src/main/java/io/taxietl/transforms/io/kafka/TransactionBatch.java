package io.taxietl.transforms.io.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;

/**
 * The records of one Kafka transaction of one shard of {@link WriteInKafkaTransactions}: numbered
 * in order per shard ({@code sequence} 0, 1, 2, ...), and stamped with the id of the job's writer
 * of that shard, so that a replayed batch is recognised and one from another job is refused.
 */
final class TransactionBatch {
  static final KvCoder<String, String> RECORD_CODER =
      KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of());

  private final String writerId;
  private final long sequence;
  private final List<KV<String, String>> records;

  TransactionBatch(String writerId, long sequence, List<KV<String, String>> records) {
    this.writerId = writerId;
    this.sequence = sequence;
    this.records = records;
  }

  String writerId() {
    return writerId;
  }

  long sequence() {
    return sequence;
  }

  /** (key, value) records; a null key lets Kafka spread the record. */
  List<KV<String, String>> records() {
    return records;
  }

  /** Writer id, sequence number, then the records. */
  static final class Coder extends CustomCoder<TransactionBatch> {
    private static final long serialVersionUID = 1L;
    private static final ListCoder<KV<String, String>> RECORDS = ListCoder.of(RECORD_CODER);

    @Override
    public void encode(TransactionBatch batch, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(batch.writerId, out);
      VarLongCoder.of().encode(batch.sequence, out);
      RECORDS.encode(batch.records, out);
    }

    @Override
    public TransactionBatch decode(InputStream in) throws IOException {
      String writerId = StringUtf8Coder.of().decode(in);
      long sequence = VarLongCoder.of().decode(in);
      return new TransactionBatch(writerId, sequence, RECORDS.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
