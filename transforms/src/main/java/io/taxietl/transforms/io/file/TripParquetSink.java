package io.taxietl.transforms.io.file;

import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import org.apache.beam.sdk.io.FileIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes {@link TripEvent}s as one Parquet file through the channel that {@link FileIO} opens,
 * column by column ({@link TripWriteSupport}: the file parquet-avro would write, timestamps as
 * UTC-adjusted millis).
 *
 * <p>Why not {@code ParquetIO.sink}: with one file per partition folder per window, a job opens
 * thousands of writers a minute, and ParquetIO's sink pays for each one a parse of the schema's
 * JSON and a new Hadoop {@code Configuration} that loads and parses Hadoop's default XML resources
 * when the writer first reads a setting. This sink reuses the compiled schema and gives each writer
 * an empty configuration (Parquet's settings have their defaults; nothing here needs Hadoop's).
 */
public final class TripParquetSink implements FileIO.Sink<TripEvent> {
  private static final long serialVersionUID = 1L;

  private final CompressionCodecName compression;
  private transient ParquetWriter<TripEvent> writer;

  private TripParquetSink(CompressionCodecName compression) {
    this.compression = compression;
  }

  public static TripParquetSink withCompression(CompressionCodecName compression) {
    return new TripParquetSink(Objects.requireNonNull(compression, "compression"));
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    writer =
        new WriterBuilder(new ChannelOutputFile(channel))
            .withCompressionCodec(compression)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .build();
  }

  @Override
  public void write(TripEvent trip) throws IOException {
    writer.write(trip);
  }

  /** Writes the footer; FileIO closes the channel afterwards. */
  @Override
  public void flush() throws IOException {
    writer.close();
  }

  /** A Parquet writer of trips through {@link TripWriteSupport}. */
  private static final class WriterBuilder extends ParquetWriter.Builder<TripEvent, WriterBuilder> {
    WriterBuilder(OutputFile file) {
      super(file);
    }

    @Override
    protected WriterBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<TripEvent> getWriteSupport(Configuration conf) {
      return new TripWriteSupport();
    }
  }

  /** The channel FileIO opened, as Parquet's output file: Parquet needs to know its position. */
  private static final class ChannelOutputFile implements OutputFile {
    private final OutputStream out;

    ChannelOutputFile(WritableByteChannel channel) {
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        // The channel belongs to FileIO, which closes it after flush().
        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
