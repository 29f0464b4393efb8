/**
 * The Spark launcher: {@code taxi-etl-spark.jar} runs the same {@code StreamingEtlPipeline} on
 * Beam's Spark runner, on a local master by default or a cluster ({@code --sparkMaster}), swapping
 * only the steps the Spark runner refuses for their equivalents. Runner code lives here, never in
 * the pipeline module.
 */
package io.taxietl.sparklauncher;
