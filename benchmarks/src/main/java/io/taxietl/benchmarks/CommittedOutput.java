package io.taxietl.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Watches the committed output of a job: Parquet files below the trips folder and JSON-lines files
 * below the dead-letter folder. A file counts once it is visible under its final name (a name that
 * does not start with {@code .}, with the right suffix): both jobs write elsewhere or under hidden
 * names until a checkpoint commits the file. Each file's rows (from the Parquet footer, or its
 * lines) are counted once, with the time this watcher first saw it, which is the "committed" end of
 * the latency.
 */
final class CommittedOutput {
  private final Path trips;
  private final Path deadLetters;
  private final Map<Path, SeenFile> seen = new HashMap<>();
  private long rows;
  private long deadLetterLines;
  private long tripFiles;
  private final BiConsumer<Path, Long> newTripFile;

  CommittedOutput(Path trips, Path deadLetters) {
    this(trips, deadLetters, (file, seenMillis) -> {});
  }

  /** Also tells {@code newTripFile} of each trip file when it is first seen (epoch millis). */
  CommittedOutput(Path trips, Path deadLetters, BiConsumer<Path, Long> newTripFile) {
    this.trips = trips;
    this.deadLetters = deadLetters;
    this.newTripFile = newTripFile;
  }

  /** A committed file, its rows (or lines), its size and when it was first seen (epoch millis). */
  record SeenFile(boolean trips, long rows, long bytes, long firstSeenMillis) {}

  /** Looks for new committed files; returns the number of new ones. */
  int poll() {
    long now = System.currentTimeMillis();
    int found = 0;
    for (Path file : list(trips, ".parquet")) {
      if (!seen.containsKey(file)) {
        long count = parquetRows(file);
        seen.put(file, new SeenFile(true, count, size(file), now));
        newTripFile.accept(file, now);
        rows += count;
        tripFiles++;
        found++;
      }
    }
    for (Path file : list(deadLetters, ".jsonl")) {
      if (!seen.containsKey(file)) {
        long count = lines(file);
        seen.put(file, new SeenFile(false, count, size(file), now));
        deadLetterLines += count;
        found++;
      }
    }
    return found;
  }

  long rows() {
    return rows;
  }

  long deadLetters() {
    return deadLetterLines;
  }

  long tripFiles() {
    return tripFiles;
  }

  /** The time the last file was first seen. */
  long lastSeenMillis() {
    return seen.values().stream().mapToLong(SeenFile::firstSeenMillis).max().orElse(0);
  }

  List<SeenFile> tripFileList() {
    return seen.values().stream().filter(SeenFile::trips).toList();
  }

  /** The bytes of all committed Parquet files. */
  long tripBytes() {
    return tripFileList().stream().mapToLong(SeenFile::bytes).sum();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path root, String suffix) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> isCommitted(p, suffix)).forEach(files::add);
    } catch (UncheckedIOException | IOException e) {
      // A file renamed or a folder created while walking: the next poll sees the settled state.
      return files;
    }
    return files;
  }

  private static boolean isCommitted(Path p, String suffix) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && name.endsWith(suffix) && Files.isRegularFile(p);
  }

  static long parquetRows(Path file) {
    try (ParquetFileReader reader = ParquetFileReader.open(new NioInputFile(file))) {
      return reader.getRecordCount();
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("committed file " + file + " disappeared", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the footer of " + file, e);
    }
  }

  /** Hands the {@code trip_id} of every row of a committed trip file to {@code ids}. */
  static void tripIds(Path file, LongConsumer ids) {
    try (ParquetFileReader reader = ParquetFileReader.open(new NioInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageType idOnly = new MessageType(schema.getName(), schema.getType("trip_id"));
      reader.setRequestedSchema(idOnly);
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(idOnly);
      for (PageReadStore rowGroup; (rowGroup = reader.readNextRowGroup()) != null; ) {
        RecordReader<Group> rows =
            columns.getRecordReader(rowGroup, new GroupRecordConverter(idOnly));
        for (long i = 0; i < rowGroup.getRowCount(); i++) {
          ids.accept(rows.read().getLong("trip_id", 0));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trip ids of " + file, e);
    }
  }

  private static long lines(Path file) {
    long count = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            count++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  /** A local file read through java.nio, without Hadoop's file system. */
  static final class NioInputFile implements InputFile {
    private final Path path;

    NioInputFile(Path path) {
      this.path = path;
    }

    @Override
    public long getLength() throws IOException {
      return Files.size(path);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }
      };
    }
  }
}
