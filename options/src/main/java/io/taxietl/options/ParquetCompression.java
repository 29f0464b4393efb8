package io.taxietl.options;

/** Compression codecs offered for the Parquet trip files. */
public enum ParquetCompression {
  SNAPPY,
  GZIP,
  ZSTD,
  UNCOMPRESSED
}
