/**
 * The pipeline's metrics: their stable names (namespace {@code etl}) and the counters,
 * distributions and gauges that report to Beam and to the JVM-local tallies of the local progress
 * line.
 */
package io.taxietl.transforms.metrics;
