/**
 * Files in and out: reading newline-delimited event files ({@link
 * io.taxietl.transforms.io.file.ReadEventFiles}), writing trips as Parquet in folders computed from
 * each trip's own time and place ({@link io.taxietl.transforms.io.file.WriteParquetByEventTime},
 * its sink, Avro model and {@link io.taxietl.transforms.io.file.PartitionTemplate}), and the
 * staging and publishing of files once their checkpoint has completed.
 */
package io.taxietl.transforms.io.file;
