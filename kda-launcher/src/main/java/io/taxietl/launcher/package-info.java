/**
 * The launcher for Amazon Managed Service for Apache Flink and Flink clusters: it maps the
 * service's application property groups onto pipeline options, merges them with the command line
 * and the launcher's defaults, validates everything and submits the pipeline. The only module of
 * the pipeline's code that imports Flink classes.
 */
package io.taxietl.launcher;
