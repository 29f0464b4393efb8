/**
 * A Prometheus metric reporter for an embedded Flink cluster that binds to 127.0.0.1 only, loaded
 * by Flink through its reporter factory service entry for local runs.
 */
package io.taxietl.localflink;
