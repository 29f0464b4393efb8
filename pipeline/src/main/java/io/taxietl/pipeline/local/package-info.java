/**
 * Conveniences of a run from the command line: the embedded-Flink defaults, the bundled sample, the
 * Flink dashboard and Prometheus endpoint on loopback, the live progress line and the end-of-run
 * summary. None of it runs on a cluster or the managed service.
 */
package io.taxietl.pipeline.local;
