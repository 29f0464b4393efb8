/**
 * Beam's Flink runner made exactly once across restores and rescaling: {@link
 * io.taxietl.flink.RestoreSafeSource} wraps the sources the runner translates so that a restored
 * job does not split them again, and {@link io.taxietl.flink.RestoreSafeSources} puts it around
 * each one before the job is submitted. The runner itself, {@code
 * org.apache.beam.runners.flink.RestoreSafeFlinkRunner}, lives in Beam's runner package for access
 * to its package-private translation environment. Runner code: only launchers use this module.
 */
package io.taxietl.flink;
