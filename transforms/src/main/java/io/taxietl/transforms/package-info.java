/**
 * Classes whose fully qualified names a Flink savepoint stores, and so must not move: the coders of
 * the job's state ({@link io.taxietl.transforms.TripEventCoder}) and the Kinesis source wrapper
 * ({@link io.taxietl.transforms.LagReportingKinesisSource}), which the Flink runner writes into
 * savepoints with Java serialization. A job restores from a savepoint only if these classes are
 * found under the same names, so they stay here while everything else lives in the sub-packages by
 * concern:
 *
 * <ul>
 *   <li>{@code event}: the trip's JSON form;
 *   <li>{@code parse}: payload to trip or rejection;
 *   <li>{@code deadletter}: dead-letter records and their file sink;
 *   <li>{@code io.file}, {@code io.kafka}, {@code io.kinesis}, {@code io.elasticsearch}: sources
 *       and sinks;
 *   <li>{@code metrics}: the pipeline's metric names and their local tallies.
 * </ul>
 */
package io.taxietl.transforms;
