package io.taxietl.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.UnboundedSource.CheckpointMark;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * KinesisIO's checkpoint mark of a reader, or none for a reader that has not started and was
 * created without one (it starts at the stream's initial position).
 */
final class KinesisReaderMark<MarkT extends CheckpointMark> implements CheckpointMark {
  private final @Nullable MarkT kinesisMark;

  KinesisReaderMark(@Nullable MarkT kinesisMark) {
    this.kinesisMark = kinesisMark;
  }

  @Nullable MarkT kinesisMark() {
    return kinesisMark;
  }

  @Override
  public void finalizeCheckpoint() throws IOException {
    if (kinesisMark != null) {
      kinesisMark.finalizeCheckpoint();
    }
  }

  /** Encodes a {@link KinesisReaderMark} as KinesisIO's mark, or its absence. */
  static final class Coder<MarkT extends CheckpointMark>
      extends CustomCoder<KinesisReaderMark<MarkT>> {
    private static final long serialVersionUID = 1L;
    private final org.apache.beam.sdk.coders.Coder<@Nullable MarkT> kinesisMarkCoder;

    Coder(org.apache.beam.sdk.coders.Coder<MarkT> kinesisMarkCoder) {
      this.kinesisMarkCoder = NullableCoder.of(kinesisMarkCoder);
    }

    @Override
    public void encode(KinesisReaderMark<MarkT> mark, OutputStream out) throws IOException {
      kinesisMarkCoder.encode(mark.kinesisMark(), out);
    }

    @Override
    public KinesisReaderMark<MarkT> decode(InputStream in) throws IOException {
      return new KinesisReaderMark<>(kinesisMarkCoder.decode(in));
    }
  }
}
